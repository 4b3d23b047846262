package dev.vidqa.answerer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vidqa.answerer.config.LlamaConfig;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.answerer.generate.CandidateScorer;
import dev.vidqa.answerer.generate.Generation;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.answerer.generate.Sequence;
import dev.vidqa.answerer.generate.StopRules;
import dev.vidqa.answerer.llama.LlamaForCausalLM;
import dev.vidqa.answerer.t5.T5ForConditionalGeneration;
import dev.vidqa.answerer.tokenize.LmTokenizer;
import dev.vidqa.answerer.tokenize.SpecialTokens;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.Engines;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.qformer.QFormerTokenizer;
import dev.vidqa.qformer.VideoQFormer;
import dev.vidqa.qformer.config.InstructBlipConfig;
import dev.vidqa.qformer.weights.WeightStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole InstructBLIP video model: frames to vision features (question-independent, cacheable),
 * features plus question to a soft prompt through the instruction-aware Q-Former, and a frozen
 * FlanT5 or Vicuna that answers by generation or by ranking candidate answers.
 *
 * <p>One instance serves any number of threads: weights are immutable and shared, and each call
 * runs in an {@link NDManager} of its own that is closed when the call returns or throws.
 */
public final class InstructBlipVideo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstructBlipVideo.class);

    /** LAVIS' {@code max_txt_len}: the longest prompt the language model is given. */
    public static final int MAX_PROMPT_TOKENS = 128;
    /** Candidate answers ranked in one call: each is a row of the language model's batch. */
    public static final int MAX_CANDIDATES = 256;
    /** Tokens of one candidate answer: scoring costs memory quadratic in its length, and answers are short. */
    public static final int MAX_CANDIDATE_TOKENS = 32;

    private final Path dir;
    private final InstructBlipConfig config;
    private final WeightStore store;
    private final VideoQFormer vision;
    private final LanguageModel lm;
    private final LmTokenizer tokenizer;
    private final SpecialTokens specials;
    private final int contextLimit;

    private InstructBlipVideo(Path dir, InstructBlipConfig config, WeightStore store, VideoQFormer vision,
                              LanguageModel lm, LmTokenizer tokenizer, SpecialTokens specials, int contextLimit) {
        this.dir = dir;
        this.config = config;
        this.store = store;
        this.vision = vision;
        this.lm = lm;
        this.tokenizer = tokenizer;
        this.specials = specials;
        this.contextLimit = contextLimit;
    }

    /** Loads a Hugging Face InstructBLIP(-video) checkpoint directory. */
    public static InstructBlipVideo load(Path dir, DeviceChoice device) {
        return load(dir, device, false, false);
    }

    /**
     * Loads a checkpoint whose weights can be trained: the weights' manager is left uncapped so that
     * parameters can carry gradients ({@link #weights()} lists them by checkpoint key). Serving
     * code should use {@link #load(Path, DeviceChoice)}, whose weights are sealed.
     */
    public static InstructBlipVideo loadForTraining(Path dir, DeviceChoice device) {
        return load(dir, device, true, false);
    }

    /** As {@link #loadForTraining}, every weight widened to float64 (gradient checks by finite differences). */
    public static InstructBlipVideo loadInFloat64(Path dir) {
        return load(dir, DeviceChoice.CPU, true, true);
    }

    private static InstructBlipVideo load(Path dir, DeviceChoice device, boolean forTraining, boolean float64) {
        long t0 = System.nanoTime();
        InstructBlipConfig config = InstructBlipConfig.read(dir);
        WeightStore store = WeightStore.open(dir, device.resolve());
        if (float64) {
            store.widenToFloat64();
        }
        LmTokenizer tokenizer = null;
        VideoQFormer vision = null;
        try {
            // Both spellings of the language model's keys exist in the wild: transformers 4.x nests the
            // LLaMA base model under language_model.model and the head under language_model.lm_head;
            // later versions flatten them.
            store.alias("language_model.model.", "language_model.")
                    .alias("language_model.lm_head.", "lm_head.");
            vision = VideoQFormer.build(config, store, dir);
            tokenizer = LmTokenizer.load(dir);
            LanguageModel lm;
            SpecialTokens specials;
            int contextLimit;
            if (config.textModelType().equals("t5")) {
                T5Config t5 = T5Config.from(config.text());
                lm = new T5ForConditionalGeneration(store.scope("language_model"), t5);
                specials = SpecialTokens.resolve(tokenizer, t5.eosTokenId(), null, t5.padTokenId());
                contextLimit = Integer.MAX_VALUE; // relative positions: no hard limit
            } else {
                LlamaConfig llama = LlamaConfig.from(config.text());
                lm = new LlamaForCausalLM(store.scope("language_model"), llama);
                specials = SpecialTokens.resolve(tokenizer, llama.eosTokenId(), llama.bosTokenId(), llama.padTokenId());
                contextLimit = llama.maxPositionEmbeddings();
            }
            if (lm.hiddenSize() != config.lmHiddenSize()) {
                throw new IllegalStateException("language model width " + lm.hiddenSize()
                        + " differs from the projection's " + config.lmHiddenSize());
            }
            store.requireAllConsumed();
            if (forTraining) {
                store.sealForTraining();
            } else {
                store.seal();
            }
            LOG.info("loaded {} ({} + {}) on {} in {} ms", dir, config.vision().numHiddenLayers() + "-layer vision",
                    config.textModelType(), store.device(), (System.nanoTime() - t0) / 1_000_000);
            return new InstructBlipVideo(dir, config, store, vision, lm, tokenizer, specials, contextLimit);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            if (vision != null) {
                vision.close();
            }
            store.close();
            throw e;
        }
    }

    public InstructBlipConfig config() {
        return config;
    }

    /** The checkpoint's weights as loaded (keys, arrays, the files behind them). */
    public WeightStore weights() {
        return store;
    }

    public VideoQFormer vision() {
        return vision;
    }

    public LanguageModel languageModel() {
        return lm;
    }

    public LmTokenizer tokenizer() {
        return tokenizer;
    }

    public SpecialTokens specialTokens() {
        return specials;
    }

    public Path directory() {
        return dir;
    }

    /** A short name for logs and answers: the checkpoint directory's name. */
    public String name() {
        return dir.toAbsolutePath().normalize().getFileName().toString();
    }

    public int imageSize() {
        return config.vision().imageSize();
    }

    /** Stage 1: frames (each CHW float32, preprocessed) to cacheable vision features. */
    public FrameFeatures[] encodeFrames(float[][] pixels) {
        return vision.encode(pixels);
    }

    /** The language model's prompt ids for {@code prompt}, checked against the limits. */
    public long[] promptIds(String prompt, int framesPerVideo, int maxNewTokens) {
        // characters bound the tokenizer's work before tokens bound the model's (a token is rarely 16 characters)
        if (prompt.length() > 16 * MAX_PROMPT_TOKENS) {
            throw new IllegalArgumentException("the prompt has " + prompt.length() + " characters; the limit is "
                    + 16 * MAX_PROMPT_TOKENS + " (and " + MAX_PROMPT_TOKENS + " tokens)");
        }
        long[] ids = tokenizer.encode(prompt);
        if (ids.length > MAX_PROMPT_TOKENS) {
            throw new PromptTooLongException(ids.length, MAX_PROMPT_TOKENS, "the prompt");
        }
        long total = (long) framesPerVideo * config.numQueryTokens() + ids.length + maxNewTokens;
        if (total > contextLimit) {
            throw new PromptTooLongException((int) total, contextLimit,
                    "soft prompt + prompt + new tokens");
        }
        return ids;
    }

    /** Q-Former instruction ids (the same prompt text, left-truncated to its limit). */
    public long[] instructionIds(String prompt) {
        return vision.tokenizer().encode(prompt);
    }

    /** Answers one question about one video (its frames' features, in time order). */
    public Answer answer(List<FrameFeatures> frames, String question, AnswerOptions options) {
        return answer(List.of(frames), List.of(question), options).get(0);
    }

    /** Answers B questions, question b about video b, in one batch (all videos with the same frame count). */
    public List<Answer> answer(List<List<FrameFeatures>> videos, List<String> questions, AnswerOptions options) {
        Engines.useThreadLimit(); // a stream thread is not the one that started the engine
        checkBatch(videos, questions);
        GenerationOptions g = options.generation();
        long t0 = System.nanoTime();
        List<String> prompts = questions.stream().map(options::prompt).toList();
        List<long[]> promptIds = new ArrayList<>();
        for (String p : prompts) {
            promptIds.add(promptIds(p, videos.get(0).size(), g.maxNewTokens()));
        }
        try (NDManager m = NDManager.newBaseManager(store.device())) {
            NDArray soft = softPrompts(m, videos, prompts);
            long t1 = System.nanoTime();
            List<Sequence> seqs;
            StopRules stop = new StopRules(specials.eos(), g.stopTokenIds(), g.stopStrings(), tokenizer::decode);
            try (LmSession session = lm.start(m, soft, promptIds)) {
                seqs = Generation.generate(session, g, stop, penaltyContexts(promptIds));
            }
            long t2 = System.nanoTime();
            double qformerMs = (t1 - t0) / 1e6;
            double lmMs = (t2 - t1) / 1e6;
            List<Answer> out = new ArrayList<>();
            for (Sequence s : seqs) {
                String text = stop.cut(tokenizer.decode(s.tokens()));
                out.add(new Answer(text, s.score(), s.tokens(), s.finishReason(),
                        new Answer.Timings(0, qformerMs, lmMs, qformerMs + lmMs, questions.size()), List.of()));
            }
            return out;
        }
    }

    /** Generates an answer, or ranks {@code candidates} when there are any: the one place that choice is made. */
    public Answer respond(List<FrameFeatures> frames, String question, List<String> candidates, AnswerOptions options) {
        return candidates == null || candidates.isEmpty() ? answer(frames, question, options)
                : rank(frames, question, candidates, options);
    }

    /** Ranks candidate answers by their log-probability given the video and question (vocabulary ranking). */
    public Answer rank(List<FrameFeatures> frames, String question, List<String> candidates, AnswerOptions options) {
        Engines.useThreadLimit(); // a stream thread is not the one that started the engine
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidate answers to rank");
        }
        if (candidates.size() > MAX_CANDIDATES) {
            throw new IllegalArgumentException(candidates.size() + " candidate answers; the limit is " + MAX_CANDIDATES);
        }
        long t0 = System.nanoTime();
        String prompt = options.prompt(question);
        List<long[]> promptIds = List.of(promptIds(prompt, frames.size(), 0));
        List<long[]> cands = new ArrayList<>();
        for (String c : candidates) {
            cands.add(candidateIds(c));
        }
        try (NDManager m = NDManager.newBaseManager(store.device())) {
            NDArray soft = softPrompts(m, List.of(frames), List.of(prompt));
            long t1 = System.nanoTime();
            float[][][] lp;
            try (LmSession session = lm.start(m, soft, promptIds)) {
                lp = CandidateScorer.tokenLogProbs(session, cands, options.rankChunk());
            }
            long t2 = System.nanoTime();
            double[] scores = new double[candidates.size()];
            for (int c = 0; c < scores.length; c++) {
                scores[c] = CandidateScorer.total(lp[0][c]);
            }
            List<Answer.RankedCandidate> ranked = new ArrayList<>();
            for (int c : CandidateScorer.ranking(scores)) {
                ranked.add(new Answer.RankedCandidate(candidates.get(c), scores[c]));
            }
            int best = CandidateScorer.ranking(scores).get(0);
            double qformerMs = (t1 - t0) / 1e6;
            double lmMs = (t2 - t1) / 1e6;
            return new Answer(candidates.get(best), scores[best], cands.get(best), null,
                    new Answer.Timings(0, qformerMs, lmMs, qformerMs + lmMs, 1), ranked);
        }
    }

    /**
     * A candidate answer's tokens as the model scores them: T5 with its {@code </s>} (as the
     * reference tokenises targets); LLaMA without {@code <s>}, followed by {@code </s>}.
     */
    public long[] candidateIds(String candidate) {
        return answerIds(candidate, MAX_CANDIDATE_TOKENS, "a candidate answer");
    }

    /**
     * An answer's tokens as the model scores or learns them (see {@link #candidateIds}), at most
     * {@code maxTokens}; {@code what} names it in the error.
     */
    public long[] answerIds(String answer, int maxTokens, String what) {
        if (answer.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        // characters bound the tokenizer's work before tokens bound the model's
        if (answer.length() > 8L * maxTokens) {
            throw new IllegalArgumentException(what + " of " + answer.length() + " characters; the limit is "
                    + maxTokens + " tokens");
        }
        long[] out;
        if (lm.isEncoderDecoder()) {
            out = tokenizer.encode(answer);
        } else {
            long[] plain = tokenizer.encodePlain(answer);
            out = Arrays.copyOf(plain, plain.length + 1);
            out[plain.length] = specials.eos();
        }
        if (out.length > maxTokens) {
            throw new IllegalArgumentException(what + " of " + out.length + " tokens; the limit is " + maxTokens);
        }
        return out;
    }

    /** Soft prompts (B, T*nq, D) for B videos, each with its own instruction. */
    public NDArray softPrompts(NDManager m, List<List<FrameFeatures>> videos, List<String> prompts) {
        List<long[]> instructions = prompts.stream().map(this::instructionIds).toList();
        NDArray features = vision.stack(m, videos);
        return vision.prompt(features, instructions, videos.get(0).size());
    }

    /** Tokens the repetition penalty covers besides the answer, per row (as the reference's input_ids). */
    private List<long[]> penaltyContexts(List<long[]> promptIds) {
        List<long[]> out = new ArrayList<>();
        for (long[] ids : promptIds) {
            if (lm.isEncoderDecoder()) {
                // the decoder start token
                out.add(new long[] {((T5ForConditionalGeneration) lm).config().decoderStartTokenId()});
            } else if (config.videoTokenIndex() != null) {
                long[] ctx = Arrays.copyOf(ids, ids.length + 1);
                ctx[ids.length] = config.videoTokenIndex(); // the placeholders of the soft prompt
                out.add(ctx);
            } else {
                out.add(ids);
            }
        }
        return out;
    }

    private static void checkBatch(List<List<FrameFeatures>> videos, List<String> questions) {
        if (videos.isEmpty() || videos.size() != questions.size()) {
            throw new IllegalArgumentException(videos.size() + " videos for " + questions.size() + " questions");
        }
        for (int i = 0; i < videos.size(); i++) {
            if (videos.get(i).isEmpty()) {
                throw new IllegalArgumentException("video " + i + " has no frames");
            }
            if (questions.get(i) == null || questions.get(i).isBlank()) {
                throw new IllegalArgumentException("question " + i + " is empty");
            }
        }
    }

    /** The Q-Former tokenizer's limit (the instruction is cut from the left beyond it). */
    public int instructionLimit() {
        return QFormerTokenizer.MAX_LENGTH;
    }

    @Override
    public void close() {
        tokenizer.close();
        vision.close();
        store.close();
    }
}
