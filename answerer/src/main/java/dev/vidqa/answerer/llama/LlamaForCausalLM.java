package dev.vidqa.answerer.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vidqa.answerer.LanguageModel;
import dev.vidqa.answerer.LmSession;
import dev.vidqa.answerer.config.LlamaConfig;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;
import java.util.List;

/**
 * {@code language_model} of an InstructBLIP-Vicuna checkpoint: a decoder-only LLaMA that reads
 * the soft prompt, then {@code <s>} and the prompt, and continues with the answer.
 */
public final class LlamaForCausalLM implements LanguageModel {
    private final LlamaConfig config;
    private final LlamaModel model;
    private final Linear lm_head;

    public LlamaForCausalLM(Weights w, LlamaConfig c) {
        this.config = c;
        this.model = new LlamaModel(w.child("model"), c);
        this.lm_head = c.tieWordEmbeddings() && !w.has("lm_head.weight")
                ? new Linear(model.embedTokens(), null)
                : Linear.load(w, "lm_head", c.vocabSize(), c.hiddenSize(), false);
    }

    public LlamaConfig config() {
        return config;
    }

    LlamaModel model() {
        return model;
    }

    NDArray head(NDArray hidden) {
        return lm_head.forward(hidden);
    }

    @Override
    public int hiddenSize() {
        return config.hiddenSize();
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public boolean isEncoderDecoder() {
        return false;
    }

    @Override
    public LmSession start(NDManager manager, NDArray softPrompts, List<long[]> promptIds) {
        return new LlamaSession(this, manager, softPrompts, promptIds, false);
    }

    /**
     * Logits at every position of [soft prompt ; ids] without a cache (B, P+L, V): the full
     * recompute that the incremental path must agree with.
     */
    public NDArray logits(NDManager manager, NDArray softPrompts, List<long[]> ids) {
        LlamaSession s = new LlamaSession(this, manager, softPrompts, ids, true);
        NDArray out = s.prefillLogits();
        out.attach(manager);
        s.close();
        return out;
    }
}
