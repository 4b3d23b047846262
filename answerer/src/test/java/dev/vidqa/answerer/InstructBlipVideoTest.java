package dev.vidqa.answerer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.generate.CandidateScorer;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.answerer.llama.LlamaForCausalLM;
import dev.vidqa.answerer.t5.T5ForConditionalGeneration;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.qformer.testing.Checkpoints;
import dev.vidqa.qformer.testing.Checkpoints.Tensor;
import dev.vidqa.qformer.testing.GoldenSet;
import dev.vidqa.qformer.testing.GoldenSets;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.qformer.testing.Tensors;
import dev.vidqa.qformer.weights.WeightException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstructBlipVideoTest {
    static final Path T5 = RepoPaths.tinyT5();
    static final Path LLAMA = RepoPaths.tinyLlama();

    @TempDir
    Path tmp;

    static GoldenSet golden(String kind) {
        return GoldenSets.ofKind(kind).findFirst().orElseThrow();
    }

    /** The golden pixel values of video b as frames (each CHW). */
    static float[][] frames(GoldenSet set, int b) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray px = set.tensor(m, "pixel_values").get(b);
            int t = (int) px.getShape().get(0);
            float[][] out = new float[t][];
            for (int i = 0; i < t; i++) {
                out[i] = px.get(i).toFloatArray();
            }
            return out;
        }
    }

    static Path editConfig(Path src, Path dst, Consumer<ObjectNode> edit) throws IOException {
        Checkpoints.edit(src, dst, (k, t) -> t);
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) json.readTree(dst.resolve("config.json").toFile());
        edit.accept(cfg);
        json.writeValue(dst.resolve("config.json").toFile(), cfg);
        return dst;
    }

    @Test
    void answerFromPixelsReproducesTheReferenceGreedyGeneration() {
        GoldenSet set = golden("t5");
        try (InstructBlipVideo model = InstructBlipVideo.load(T5, DeviceChoice.CPU)) {
            AnswerOptions greedy = AnswerOptions.defaults().withGeneration(GenerationOptions.greedy(8));
            for (int b = 0; b < 2; b++) {
                List<FrameFeatures> features = List.of(model.encodeFrames(frames(set, b)));
                // the golden instructions are the default template around these questions
                String question = set.instructions().get(b).replace("Question: ", "").replace(" Short answer:", "");
                Answer a = model.answer(features, question, greedy);
                long[] hf = GoldenSet.longs(set.json().get("hf_generate_greedy_max8").get(b));
                assertArrayEquals(Arrays.copyOfRange(hf, 1, hf.length), a.tokenIds());
                assertEquals(model.tokenizer().decode(a.tokenIds()), a.text());
                assertTrue(a.timings().totalMs() > 0);
            }
        }
    }

    /**
     * PyTorch's OpenMP thread count is per calling thread: a thread that did not start the engine
     * (a Kafka Streams thread, the encoder's batcher) ran on every core whatever vidqa.torch.threads
     * said. The model's entry points apply the limit on the thread that calls them.
     */
    @Test
    void everyThreadThatRunsTheModelTakesTheThreadLimit() throws Exception {
        GoldenSet set = golden("t5");
        try (InstructBlipVideo model = InstructBlipVideo.load(T5, DeviceChoice.CPU)) {
            float[][] pixels = frames(set, 0);
            List<FrameFeatures> features = List.of(model.encodeFrames(pixels));
            boolean[] limited = new boolean[4];
            List<Thread> threads = List.of(
                    new Thread(() -> limited[0] = dev.vidqa.qformer.Engines.threadLimitApplied()),
                    new Thread(() -> {
                        model.encodeFrames(pixels);
                        limited[1] = dev.vidqa.qformer.Engines.threadLimitApplied();
                    }),
                    new Thread(() -> {
                        model.answer(features, "what?", AnswerOptions.defaults().withGeneration(GenerationOptions.greedy(2)));
                        limited[2] = dev.vidqa.qformer.Engines.threadLimitApplied();
                    }),
                    new Thread(() -> {
                        model.rank(features, "what?", List.of("a", "b"), AnswerOptions.defaults());
                        limited[3] = dev.vidqa.qformer.Engines.threadLimitApplied();
                    }));
            for (Thread t : threads) {
                t.start();
                t.join();
            }
            assertEquals(false, limited[0], "a thread that ran nothing has not been set");
            assertTrue(limited[1], "encoding frames sets the calling thread's limit");
            assertTrue(limited[2], "generating sets it");
            assertTrue(limited[3], "ranking sets it");
        }
    }

    /** 40 candidates of 10 KB once grew the JVM to 22.7 GB: candidates are bounded before they cost anything. */
    @Test
    void candidateAnswersAreBoundedInCountAndLength() {
        GoldenSet set = golden("t5");
        try (InstructBlipVideo model = InstructBlipVideo.load(T5, DeviceChoice.CPU)) {
            List<FrameFeatures> features = List.of(model.encodeFrames(frames(set, 0)));
            IllegalArgumentException longOne = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> model.rank(features, "which?", List.of("a", "word ".repeat(2000)), AnswerOptions.defaults()));
            assertTrue(longOne.getMessage().contains("the limit is " + InstructBlipVideo.MAX_CANDIDATE_TOKENS + " tokens"),
                    longOne.getMessage());
            IllegalArgumentException tokens = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> model.rank(features, "which?", List.of("a b c d e f g h i j k l m n o p q r s t u v w x y z a b c"
                            + " d e f g"), AnswerOptions.defaults()));
            assertTrue(tokens.getMessage().contains("tokens; the limit is 32"), tokens.getMessage());
            List<String> many = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "c" + i).toList();
            IllegalArgumentException count = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> model.rank(features, "which?", many, AnswerOptions.defaults()));
            assertTrue(count.getMessage().contains("the limit is 256"), count.getMessage());
        }
    }

    @Test
    void rankReturnsEveryCandidateBestFirst() {
        GoldenSet set = golden("t5");
        try (InstructBlipVideo model = InstructBlipVideo.load(T5, DeviceChoice.CPU)) {
            List<FrameFeatures> features = List.of(model.encodeFrames(frames(set, 0)));
            List<String> candidates = List.of("cooking", "dancing", "two", "three", "a dog");
            Answer a = model.rank(features, "what is the man doing?", candidates, AnswerOptions.defaults());
            assertEquals(5, a.candidates().size());
            for (int i = 1; i < 5; i++) {
                assertTrue(a.candidates().get(i - 1).score() >= a.candidates().get(i).score());
            }
            assertEquals(a.candidates().get(0).text(), a.text());
            // the golden log-probs of video 0 give the same winner
            double[] totals = new double[5];
            for (int c = 0; c < 5; c++) {
                for (var v : set.json().get("candidate_token_logprobs").get(0).get(c)) {
                    totals[c] += v.asDouble();
                }
            }
            assertEquals(candidates.get(CandidateScorer.ranking(totals).get(0)), a.text());
            assertEquals(totals[CandidateScorer.ranking(totals).get(0)], a.score(), 1e-3);
        }
    }

    @Test
    void llamaCandidateScoresEqualLogProbsFromTheFullForwardPass() {
        GoldenSet set = golden("llama");
        try (InstructBlipVideo model = InstructBlipVideo.load(LLAMA, DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            LlamaForCausalLM lm = (LlamaForCausalLM) model.languageModel();
            NDArray soft = set.tensor(m, "llm_prefix_embeds").get("0:1");
            long[] prompt = model.tokenizer().encode(set.instructions().get(0));
            List<long[]> cands = new ArrayList<>();
            for (String c : List.of("cooking", "a dog", "two")) {
                long[] ids = model.candidateIds(c);
                assertEquals(model.specialTokens().eos(), ids[ids.length - 1], "LLaMA candidates end with </s>");
                cands.add(ids);
            }
            float[][][] lp;
            try (LmSession s = lm.start(m, soft, List.of(prompt))) {
                lp = CandidateScorer.tokenLogProbs(s, cands, 2);
            }
            int p = (int) soft.getShape().get(1);
            for (int c = 0; c < cands.size(); c++) {
                long[] cand = cands.get(c);
                long[] seq = Arrays.copyOf(prompt, prompt.length + cand.length);
                System.arraycopy(cand, 0, seq, prompt.length, cand.length);
                float[] full = lm.logits(m, soft, List.of(seq)).logSoftmax(-1).toFloatArray();
                int v = lm.vocabSize();
                for (int i = 0; i < cand.length; i++) {
                    int pos = p + prompt.length - 1 + i; // logits here predict cand[i]
                    assertEquals(full[pos * v + (int) cand[i]], lp[0][c][i], 1e-4, "candidate " + c + " token " + i);
                }
            }
        }
    }

    @Test
    void groupedQueryAttentionEqualsMultiHeadWithRepeatedKeyValueHeads() throws IOException {
        // GQA checkpoint: 2 kv heads for 4 query heads (head_dim 16). Its MHA twin repeats each kv head.
        Path gqa = tmp.resolve("gqa");
        Checkpoints.edit(LLAMA, gqa, (k, t) -> k.matches(".*self_attn\\.[kv]_proj\\.weight") ? rows(t, 0, 32) : t);
        editConfigInPlace(gqa, c -> ((ObjectNode) c.get("text_config")).put("num_key_value_heads", 2));
        Path mha = tmp.resolve("mha");
        Checkpoints.edit(LLAMA, mha, (k, t) -> k.matches(".*self_attn\\.[kv]_proj\\.weight")
                ? concatRows(rows(t, 0, 16), rows(t, 0, 16), rows(t, 16, 32), rows(t, 16, 32)) : t);
        GoldenSet set = golden("llama");
        try (InstructBlipVideo a = InstructBlipVideo.load(gqa, DeviceChoice.CPU);
             InstructBlipVideo b = InstructBlipVideo.load(mha, DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            NDArray soft = set.tensor(m, "llm_prefix_embeds");
            long[] ids = a.tokenizer().encode(set.instructions().get(1));
            NDArray la = ((LlamaForCausalLM) a.languageModel()).logits(m, soft.get("1:2"), List.of(ids));
            NDArray lb = ((LlamaForCausalLM) b.languageModel()).logits(m, soft.get("1:2"), List.of(ids));
            Tensors.assertClose("GQA vs repeated MHA", lb, la, 1e-5);
        }
    }

    static void editConfigInPlace(Path dir, Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        edit.accept(cfg);
        json.writeValue(dir.resolve("config.json").toFile(), cfg);
    }

    /** Rows [from, to) of a 2-D float32 tensor. */
    static Tensor rows(Tensor t, int from, int to) {
        int cols = (int) t.shape()[1];
        ByteBuffer src = t.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        src.position(from * cols * 4).limit(to * cols * 4);
        ByteBuffer out = ByteBuffer.allocate((to - from) * cols * 4).order(ByteOrder.LITTLE_ENDIAN).put(src).flip();
        return new Tensor(t.dtype(), new long[] {to - from, cols}, out);
    }

    static Tensor concatRows(Tensor... parts) {
        int cols = (int) parts[0].shape()[1];
        long rows = Arrays.stream(parts).mapToLong(p -> p.shape()[0]).sum();
        ByteBuffer out = ByteBuffer.allocate((int) rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor p : parts) {
            out.put(p.bytes().duplicate());
        }
        return new Tensor(parts[0].dtype(), new long[] {rows, cols}, out.flip());
    }

    @Test
    void vicunaConfigSpecialIdsAreOverruledByTheTokenizer() throws IOException {
        Path dir = editConfig(LLAMA, tmp.resolve("vicuna-ids"), c -> {
            ObjectNode text = (ObjectNode) c.get("text_config");
            text.put("bos_token_id", 0).put("eos_token_id", 1).put("pad_token_id", 127);
        });
        try (InstructBlipVideo model = InstructBlipVideo.load(dir, DeviceChoice.CPU)) {
            assertEquals(2, model.specialTokens().eos(), "generation must stop at the tokenizer's </s>");
            assertEquals(1L, model.specialTokens().bos());
        }
    }

    @Test
    void bothLlamaKeySpellingsLoadTheSameModel() {
        Path flat = Checkpoints.renameKeys(LLAMA, tmp.resolve("flat"), k -> k
                .replace("language_model.model.", "language_model.")
                .replace("language_model.lm_head.", "lm_head."));
        GoldenSet set = golden("llama");
        try (InstructBlipVideo a = InstructBlipVideo.load(flat, DeviceChoice.CPU);
             InstructBlipVideo b = InstructBlipVideo.load(LLAMA, DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            NDArray soft = set.tensor(m, "llm_prefix_embeds").get("0:1");
            long[] ids = a.tokenizer().encode(set.instructions().get(0));
            Tensors.assertClose("flattened keys", ((LlamaForCausalLM) b.languageModel()).logits(m, soft, List.of(ids)),
                    ((LlamaForCausalLM) a.languageModel()).logits(m, soft, List.of(ids)), 0);
        }
    }

    @Test
    void t5LmHeadWithScaledOutputsEqualsTheTiedHead() throws IOException {
        // logits = (h * d^-1/2) . (shared * d^1/2)^T = h . shared^T: an explicit lm_head with
        // scale_decoder_outputs must reproduce the tied, unscaled fixture exactly (up to rounding)
        double root = Math.sqrt(64);
        Path dir = tmp.resolve("lmhead");
        Checkpoints.edit(T5, dir, (k, t) -> t);
        var all = Checkpoints.read(dir.resolve("model.safetensors"));
        Tensor shared = all.get("language_model.shared.weight");
        ByteBuffer src = shared.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer dst = ByteBuffer.allocate(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        while (src.hasRemaining()) {
            dst.putFloat((float) (src.getFloat() * root));
        }
        all.put("language_model.lm_head.weight", new Tensor(shared.dtype(), shared.shape(), dst.flip()));
        Checkpoints.write(dir.resolve("model.safetensors"), all);
        editConfigInPlace(dir, c -> ((ObjectNode) c.get("text_config")).put("scale_decoder_outputs", true)
                .put("tie_word_embeddings", false));
        GoldenSet set = golden("t5");
        try (InstructBlipVideo a = InstructBlipVideo.load(dir, DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            NDArray soft = set.tensor(m, "llm_prefix_embeds");
            List<long[]> prompts = List.of(a.tokenizer().encode(set.instructions().get(0)),
                    a.tokenizer().encode(set.instructions().get(1)));
            long[][] dec = GoldenSet.longRows(set.json().get("greedy_decoder_ids"));
            Tensors.assertClose("explicit lm_head, scaled outputs", set.tensor(m, "logits"),
                    ((T5ForConditionalGeneration) a.languageModel()).logits(m, soft, prompts, dec), 5e-4);
        }
    }

    @Test
    void olderT5ConfigsImplyScalingFromTiedEmbeddings() throws IOException {
        Path dir = editConfig(T5, tmp.resolve("old"), c -> ((ObjectNode) c.get("text_config")).remove("scale_decoder_outputs"));
        try (InstructBlipVideo model = InstructBlipVideo.load(dir, DeviceChoice.CPU)) {
            assertTrue(((T5ForConditionalGeneration) model.languageModel()).config().scaleDecoderOutputs());
        }
        try (InstructBlipVideo model = InstructBlipVideo.load(T5, DeviceChoice.CPU)) {
            assertEquals(false, ((T5ForConditionalGeneration) model.languageModel()).config().scaleDecoderOutputs());
        }
    }

    @Test
    void promptsOverTheLimitAreRejectedWithTheirLength() {
        try (InstructBlipVideo model = InstructBlipVideo.load(T5, DeviceChoice.CPU)) {
            String longQuestion = "what is ".repeat(200) + "this?";
            List<FrameFeatures> features = List.of(model.encodeFrames(frames(golden("t5"), 0)));
            PromptTooLongException e = assertThrows(PromptTooLongException.class,
                    () -> model.answer(features, longQuestion, AnswerOptions.defaults()));
            assertTrue(e.tokens() > InstructBlipVideo.MAX_PROMPT_TOKENS);
            assertTrue(e.getMessage().contains("limit is 128"), e.getMessage());
        }
    }

    @Test
    void languageModelWeightsTheConfigDoesNotUseAreRejected() {
        Path dir = tmp.resolve("extra-lm");
        Checkpoints.edit(T5, dir, (k, t) -> t);
        var all = Checkpoints.read(dir.resolve("model.safetensors"));
        all.put("language_model.decoder.block.2.layer.0.layer_norm.weight",
                all.get("language_model.decoder.final_layer_norm.weight"));
        Checkpoints.write(dir.resolve("model.safetensors"), all);
        WeightException e = assertThrows(WeightException.class, () -> InstructBlipVideo.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("language_model.decoder.block.2.layer.0.layer_norm.weight"), e.getMessage());
    }

    @Test
    void badInputsFailClearly() {
        try (InstructBlipVideo model = InstructBlipVideo.load(T5, DeviceChoice.CPU)) {
            List<FrameFeatures> f = List.of(model.encodeFrames(frames(golden("t5"), 0)));
            assertThrows(IllegalArgumentException.class, () -> model.answer(f, "  ", AnswerOptions.defaults()));
            assertThrows(IllegalArgumentException.class, () -> model.rank(f, "what?", List.of(), AnswerOptions.defaults()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.encodeFrames(new float[][] {new float[10]}));
            assertTrue(e.getMessage().contains("3x56x56"), e.getMessage());
            // the model still answers after the failures
            assertTrue(model.answer(f, "what?", AnswerOptions.defaults()).tokenIds().length > 0);
        }
    }

    @Test
    void oneModelServesConcurrentRequests() throws Exception {
        GoldenSet set = golden("t5");
        try (InstructBlipVideo model = InstructBlipVideo.load(T5, DeviceChoice.CPU)) {
            List<FrameFeatures> f0 = List.of(model.encodeFrames(frames(set, 0)));
            List<FrameFeatures> f1 = List.of(model.encodeFrames(frames(set, 1)));
            AnswerOptions o = AnswerOptions.defaults();
            long[] e0 = model.answer(f0, "what is the man doing?", o).tokenIds();
            long[] e1 = model.answer(f1, "how many dogs?", o).tokenIds();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    boolean first = i % 2 == 0;
                    results.add(pool.submit(() -> Arrays.equals(first ? e0 : e1,
                            model.answer(first ? f0 : f1, first ? "what is the man doing?" : "how many dogs?", o).tokenIds())));
                }
                for (var r : results) {
                    assertTrue(r.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }
}
