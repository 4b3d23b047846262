package dev.vidqa.qformer.transformer;

import ai.djl.ndarray.NDArray;
import dev.vidqa.qformer.config.QFormerConfig;
import dev.vidqa.qformer.nn.Attention;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;

/**
 * {@code attention.attention} / {@code crossattention.attention}: BERT multi-head attention. For
 * cross-attention the keys and values come from the frame features (width {@code encoder_hidden_size}).
 */
public final class QFormerMultiHeadAttention {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final int heads;
    private final float scale;

    public QFormerMultiHeadAttention(Weights w, QFormerConfig c, boolean cross) {
        long d = c.hiddenSize();
        long kv = cross ? c.encoderHiddenSize() : d;
        this.query = Linear.load(w, "query", d, d, true);
        this.key = Linear.load(w, "key", d, kv, true);
        this.value = Linear.load(w, "value", d, kv, true);
        this.heads = c.numAttentionHeads();
        this.scale = (float) (1.0 / Math.sqrt(c.headDim()));
    }

    /** x (N,Lq,D), context (N,Lk,Dk), mask bias broadcasting to (N,1,Lq,Lk) or null -> (N,Lq,D) */
    public NDArray forward(NDArray x, NDArray context, NDArray maskBias) {
        NDArray q = Attention.splitHeads(query.forward(x), heads);
        NDArray k = Attention.splitHeads(key.forward(context), heads);
        NDArray v = Attention.splitHeads(value.forward(context), heads);
        return Attention.mergeHeads(Attention.attend(q, k, v, maskBias, scale));
    }
}
