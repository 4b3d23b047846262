package dev.vidqa.answerer.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.vidqa.answerer.LanguageModel;
import dev.vidqa.answerer.LmSession;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.nn.Scalars;
import dev.vidqa.qformer.weights.Weights;
import java.util.List;

/**
 * {@code language_model} of an InstructBLIP-FlanT5 checkpoint: the encoder reads the soft prompt
 * followed by the prompt tokens; the decoder generates the answer. The output head is
 * {@code lm_head.weight} when the checkpoint has one, else the tied {@code shared.weight}.
 */
public final class T5ForConditionalGeneration implements LanguageModel {
    private final T5Config config;
    private final NDArray shared; // (V,D)
    private final T5Stack encoder;
    private final T5Stack decoder;
    private final Linear lm_head;
    private final float outputScale;

    public T5ForConditionalGeneration(Weights w, T5Config c) {
        this.config = c;
        this.shared = w.child("shared").get("weight", c.vocabSize(), c.dModel());
        this.encoder = new T5Stack(w.child("encoder"), c, false);
        this.decoder = new T5Stack(w.child("decoder"), c, true);
        this.lm_head = w.has("lm_head.weight") ? Linear.load(w, "lm_head", c.vocabSize(), c.dModel(), false)
                : new Linear(shared, null);
        this.outputScale = c.scaleDecoderOutputs() ? (float) Math.pow(c.dModel(), -0.5) : 1f;
    }

    public T5Config config() {
        return config;
    }

    @Override
    public int hiddenSize() {
        return config.dModel();
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public boolean isEncoderDecoder() {
        return true;
    }

    /** ids (B,L) -> (B,L,D) */
    NDArray embed(NDArray ids) {
        return Embedding.embedding(ids, shared, SparseFormat.DENSE).singletonOrThrow();
    }

    /** decoder hidden (B,n,D) -> logits (B,n,V) */
    NDArray head(NDArray hidden) {
        NDArray h = outputScale == 1f ? hidden : Scalars.mul(hidden, outputScale);
        return lm_head.forward(h);
    }

    T5Stack encoder() {
        return encoder;
    }

    T5Stack decoder() {
        return decoder;
    }

    /**
     * Encoder input for B rows: [soft prompt ; prompt embeddings], right-padded, and the padding
     * mask. Returns {embeds (B,P+L,D), valid[B][P+L]}.
     */
    Object[] encoderInputs(NDManager m, NDArray softPrompts, List<long[]> promptIds) {
        int b = promptIds.size();
        int p = (int) softPrompts.getShape().get(1);
        int len = promptIds.stream().mapToInt(a -> a.length).max().orElse(0);
        long[] ids = new long[b * len];
        boolean[][] valid = new boolean[b][p + len];
        for (int r = 0; r < b; r++) {
            long[] row = promptIds.get(r);
            for (int i = 0; i < len; i++) {
                ids[r * len + i] = i < row.length ? row[i] : config.padTokenId();
            }
            for (int i = 0; i < p + len; i++) {
                valid[r][i] = i < p + row.length;
            }
        }
        NDArray text = embed(m.create(ids, new Shape(b, len)));
        NDArray embeds = NDArrays.concat(new NDList(softPrompts, text), 1);
        return new Object[] {embeds, valid};
    }

    @Override
    public LmSession start(NDManager manager, NDArray softPrompts, List<long[]> promptIds) {
        return new T5Session(this, manager, softPrompts, promptIds, null, false);
    }

    /**
     * The decoder over all of {@code decoderIds} without a self-attention cache, on a session's
     * encoder output: the baseline the KV cache is measured against.
     */
    public NDArray recomputeDecoder(LmSession session, long[][] decoderIds) {
        return ((T5Session) session).recomputeDecoder(decoderIds);
    }

    /**
     * Logits (B, Ld, V) for teacher-forced decoder inputs {@code decoderIds} (start token first)
     * over the encoder input [soft prompt ; prompt ids], in one pass.
     */
    public NDArray logits(NDManager manager, NDArray softPrompts, List<long[]> promptIds, long[][] decoderIds) {
        T5Session s = new T5Session(this, manager, softPrompts, promptIds, decoderIds, true);
        NDArray out = s.prefixLogits();
        out.attach(manager);
        s.close();
        return out;
    }
}
