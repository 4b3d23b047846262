package dev.vidqa.answerer.t5;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.answerer.nn.KvCache;
import dev.vidqa.answerer.nn.RmsNorm;
import dev.vidqa.qformer.weights.Weights;

/** {@code layer.0}: pre-norm self-attention with a residual. */
public final class T5LayerSelfAttention {
    final T5Attention SelfAttention;
    private final RmsNorm layer_norm;

    T5LayerSelfAttention(Weights w, T5Config c, boolean hasRelativeAttentionBias) {
        this.SelfAttention = new T5Attention(w.child("SelfAttention"), c, hasRelativeAttentionBias);
        this.layer_norm = RmsNorm.load(w, "layer_norm", c.dModel(), c.layerNormEpsilon());
    }

    /** Bidirectional (encoder): h (B,L,D), bias (B,H,L,L). */
    NDArray forward(NDArray h, NDArray bias) {
        NDArray x = layer_norm.forward(h);
        return h.add(SelfAttention.attend(SelfAttention.query(x), SelfAttention.key(x), SelfAttention.value(x), bias));
    }

    /** Incremental (decoder): the new tokens' keys/values join {@code cache} at {@code layer}. */
    NDArray forward(NDArray h, NDArray bias, KvCache cache, int layer) {
        NDArray x = layer_norm.forward(h);
        NDArray[] kv = cache.append(layer, SelfAttention.key(x), SelfAttention.value(x));
        return h.add(SelfAttention.attend(SelfAttention.query(x), kv[0], kv[1], bias));
    }
}
