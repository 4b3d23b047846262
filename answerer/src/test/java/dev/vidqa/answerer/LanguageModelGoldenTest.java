package dev.vidqa.answerer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vidqa.answerer.generate.CandidateScorer;
import dev.vidqa.answerer.generate.Generation;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.answerer.generate.Sequence;
import dev.vidqa.answerer.generate.StopRules;
import dev.vidqa.answerer.llama.LlamaForCausalLM;
import dev.vidqa.answerer.t5.T5ForConditionalGeneration;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.GoldenSet;
import dev.vidqa.qformer.testing.GoldenSets;
import dev.vidqa.qformer.testing.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity of the language models and decoding with the reference, on every fixture set under
 * {@code vidqa.golden.dir}: logits, KV-cache steps, greedy, beam search, candidate log-probs,
 * tokenisation, and batch invariance.
 */
class LanguageModelGoldenTest {
    static final double LOGITS_TOL = 5e-4;

    static List<GoldenSet> sets() {
        return GoldenSets.all();
    }

    static long[][] ids(JsonNode rows) {
        return GoldenSet.longRows(rows);
    }

    /** The prompt ids of video b: from golden.json (T5: prompt_token_ids; LLaMA: cases[b].prompt_token_ids). */
    static long[] goldenPrompt(GoldenSet set, int b) {
        return set.kind().equals("t5") ? GoldenSet.longs(set.json().get("prompt_token_ids").get(b))
                : GoldenSet.longs(set.json().get("cases").get(b).get("prompt_token_ids"));
    }

    static int videos(GoldenSet set) {
        return set.instructions().size();
    }

    /** Runs decoding on the golden soft prompt of the given videos. */
    static List<Sequence> decode(InstructBlipVideo model, GoldenSet set, NDManager m, int[] videos,
                                 GenerationOptions o, boolean stopAtEos) {
        NDArray prefix = set.tensor(m, "llm_prefix_embeds");
        List<long[]> prompts = new ArrayList<>();
        List<long[]> contexts = new ArrayList<>();
        long[] rows = Arrays.stream(videos).mapToLong(i -> i).toArray();
        for (int v : videos) {
            prompts.add(goldenPrompt(set, v));
            contexts.add(set.kind().equals("t5") ? new long[] {0} : goldenPrompt(set, v));
        }
        try (LmSession s = model.languageModel().start(m, prefix.get(m.create(rows)), prompts)) {
            StopRules stop = new StopRules(stopAtEos ? model.specialTokens().eos() : -1, List.of(), List.of(), null);
            return Generation.generate(s, o, stop, contexts);
        }
    }

    static long[] withStart(long[] tokens) {
        return LongStream.concat(LongStream.of(0), Arrays.stream(tokens)).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void promptTokenIdsMatch(GoldenSet set) {
        try (InstructBlipVideo model = InstructBlipVideo.load(set.dir(), DeviceChoice.CPU)) {
            List<String> instructions = set.instructions();
            for (int b = 0; b < instructions.size(); b++) {
                assertArrayEquals(goldenPrompt(set, b), model.tokenizer().encode(instructions.get(b)),
                        set + ": prompt ids of \"" + instructions.get(b) + "\"");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void logitsMatchAndTheCacheAgreesWithFullRecompute(GoldenSet set) {
        try (InstructBlipVideo model = InstructBlipVideo.load(set.dir(), DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            NDArray prefix = set.tensor(m, "llm_prefix_embeds");
            int b = videos(set);
            if (set.kind().equals("t5")) {
                T5ForConditionalGeneration t5 = (T5ForConditionalGeneration) model.languageModel();
                List<long[]> prompts = new ArrayList<>();
                for (int v = 0; v < b; v++) {
                    prompts.add(goldenPrompt(set, v));
                }
                long[][] dec = ids(set.json().get("greedy_decoder_ids"));
                NDArray logits = t5.logits(m, prefix, prompts, dec);
                Tensors.assertClose(set + " T5 logits", set.tensor(m, "logits"), logits, LOGITS_TOL);
                // incremental: feed the same decoder ids one step at a time
                try (LmSession s = t5.start(m, prefix, prompts)) {
                    for (int i = 0; i < dec[0].length; i++) {
                        Tensors.assertClose(set + " T5 cached step " + i, logits.get(":, " + i + ", :"),
                                s.nextLogits(), 1e-4);
                        if (i + 1 < dec[0].length) {
                            long[] next = new long[b];
                            for (int r = 0; r < b; r++) {
                                next[r] = dec[r][i + 1];
                            }
                            s.step(next);
                        }
                    }
                }
            } else {
                LlamaForCausalLM llama = (LlamaForCausalLM) model.languageModel();
                int p = (int) prefix.getShape().get(1);
                for (int v = 0; v < b; v++) {
                    long[] input = GoldenSet.longs(set.json().get("cases").get(v).get("hf_generate_beam3_max6").get(0));
                    NDArray goldenIds = set.tensor(m, "input_ids_" + v);
                    long[] all = goldenIds.toLongArray();
                    long[] text = Arrays.copyOfRange(all, p, all.length); // the soft prompt replaces the placeholders
                    NDArray soft = prefix.get(v + ":" + (v + 1));
                    NDArray logits = llama.logits(m, soft, List.of(text));
                    Tensors.assertClose(set + " LLaMA logits_" + v, set.tensor(m, "logits_" + v), logits, LOGITS_TOL);
                    assertTrue(input.length > p, "golden beam output holds the prompt");
                    // incremental: prompt, then the remaining tokens one at a time
                    long[] prompt = goldenPrompt(set, v);
                    try (LmSession s = llama.start(m, soft, List.of(prompt))) {
                        for (int i = p + prompt.length - 1; i < all.length; i++) {
                            Tensors.assertClose(set + " LLaMA cached position " + i, logits.get(":, " + i + ", :"),
                                    s.nextLogits(), 1e-4);
                            if (i + 1 < all.length) {
                                s.step(new long[] {all[i + 1]});
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void greedyWithoutEosReproducesTheGoldenSteps(GoldenSet set) {
        try (InstructBlipVideo model = InstructBlipVideo.load(set.dir(), DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            int b = videos(set);
            List<Sequence> out = decode(model, set, m, range(b), GenerationOptions.greedy(8), false);
            for (int v = 0; v < b; v++) {
                long[] expected = set.kind().equals("t5")
                        ? GoldenSet.longs(set.json().get("greedy_decoder_ids").get(v))
                        : GoldenSet.longs(set.json().get("cases").get(v).get("greedy_new_ids"));
                long[] got = set.kind().equals("t5") ? withStart(out.get(v).tokens()) : out.get(v).tokens();
                assertArrayEquals(expected, got, set + ": greedy ids of video " + v);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void hfGenerateGreedyAndBeamAreReproduced(GoldenSet set) {
        try (InstructBlipVideo model = InstructBlipVideo.load(set.dir(), DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            int b = videos(set);
            GenerationOptions beam = new GenerationOptions(3, 6, 1, 1.0, 1.0, true, List.of(), List.of());
            List<Sequence> beams = decode(model, set, m, range(b), beam, true);
            for (int v = 0; v < b; v++) {
                if (set.kind().equals("t5")) {
                    assertArrayEquals(GoldenSet.longs(set.json().get("hf_generate_beam3_max6").get(v)),
                            withStart(beams.get(v).tokens()), set + ": beam search of video " + v);
                } else {
                    long[] hf = GoldenSet.longs(set.json().get("cases").get(v).get("hf_generate_beam3_max6").get(0));
                    int promptEnd = hf.length - beams.get(v).tokens().length;
                    assertArrayEquals(Arrays.copyOfRange(hf, promptEnd, hf.length), beams.get(v).tokens(),
                            set + ": beam search of video " + v);
                    long[] prefixIds = Arrays.copyOfRange(hf, 0, promptEnd);
                    long[] prompt = goldenPrompt(set, v);
                    assertArrayEquals(prompt, Arrays.copyOfRange(prefixIds, prefixIds.length - prompt.length,
                            prefixIds.length), set + ": beam output starts with the prompt");
                }
            }
            if (set.json().has("hf_generate_greedy_max8")) {
                List<Sequence> greedy = decode(model, set, m, range(b), GenerationOptions.greedy(8), true);
                for (int v = 0; v < b; v++) {
                    assertArrayEquals(GoldenSet.longs(set.json().get("hf_generate_greedy_max8").get(v)),
                            withStart(greedy.get(v).tokens()), set + ": greedy generate of video " + v);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void candidateLogProbsAndRankingMatch(GoldenSet set) {
        Assumptions.assumeTrue(set.json().has("candidate_token_logprobs"), set + " has no candidate scores");
        try (InstructBlipVideo model = InstructBlipVideo.load(set.dir(), DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            List<String> candidates = new ArrayList<>();
            set.json().get("candidates").forEach(c -> candidates.add(c.asText()));
            long[][] goldenIds = ids(set.json().get("candidate_token_ids"));
            List<long[]> cands = new ArrayList<>();
            for (int c = 0; c < candidates.size(); c++) {
                assertArrayEquals(goldenIds[c], model.candidateIds(candidates.get(c)),
                        set + ": tokens of candidate '" + candidates.get(c) + "'");
                cands.add(goldenIds[c]);
            }
            NDArray prefix = set.tensor(m, "llm_prefix_embeds");
            int b = videos(set);
            List<long[]> prompts = new ArrayList<>();
            for (int v = 0; v < b; v++) {
                prompts.add(goldenPrompt(set, v));
            }
            float[][][] lp;
            try (LmSession s = model.languageModel().start(m, prefix, prompts)) {
                lp = CandidateScorer.tokenLogProbs(s, cands, 2); // chunks of 2 exercise the forks
            }
            JsonNode golden = set.json().get("candidate_token_logprobs");
            for (int v = 0; v < b; v++) {
                double[] expectedTotals = new double[candidates.size()];
                double[] totals = new double[candidates.size()];
                for (int c = 0; c < candidates.size(); c++) {
                    JsonNode g = golden.get(v).get(c);
                    assertEquals(g.size(), lp[v][c].length);
                    for (int i = 0; i < g.size(); i++) {
                        assertEquals(g.get(i).asDouble(), lp[v][c][i], 1e-4,
                                set + ": log-prob of token " + i + " of '" + candidates.get(c) + "', video " + v);
                        expectedTotals[c] += g.get(i).asDouble();
                    }
                    totals[c] = CandidateScorer.total(lp[v][c]);
                }
                assertEquals(CandidateScorer.ranking(expectedTotals), CandidateScorer.ranking(totals),
                        set + ": ranking of video " + v);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void aBatchGivesWhatEachVideoGivesAlone(GoldenSet set) {
        try (InstructBlipVideo model = InstructBlipVideo.load(set.dir(), DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            int b = videos(set);
            GenerationOptions beam = new GenerationOptions(3, 6, 1, 1.0, 1.0, true, List.of(), List.of());
            for (GenerationOptions o : List.of(GenerationOptions.greedy(8), beam)) {
                List<Sequence> batch = decode(model, set, m, range(b), o, true);
                for (int v = 0; v < b; v++) {
                    Sequence alone = decode(model, set, m, new int[] {v}, o, true).get(0);
                    assertArrayEquals(alone.tokens(), batch.get(v).tokens(), set + ": video " + v + " in a batch, "
                            + o.numBeams() + " beam(s)");
                    assertEquals(alone.score(), batch.get(v).score(), 1e-3);
                }
            }
            // and the next-token logits after the prompt, batched (padded) vs alone
            NDArray prefix = set.tensor(m, "llm_prefix_embeds");
            List<long[]> prompts = new ArrayList<>();
            for (int v = 0; v < b; v++) {
                prompts.add(goldenPrompt(set, v));
            }
            try (LmSession all = model.languageModel().start(m, prefix, prompts)) {
                for (int v = 0; v < b; v++) {
                    try (LmSession one = model.languageModel().start(m, prefix.get(v + ":" + (v + 1)),
                            List.of(prompts.get(v)))) {
                        Tensors.assertClose(set + " batched logits of video " + v, one.nextLogits().get(0),
                                all.nextLogits().get(v), 1e-4);
                    }
                }
            }
        }
    }

    static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
