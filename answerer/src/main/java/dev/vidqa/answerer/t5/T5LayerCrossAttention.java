package dev.vidqa.answerer.t5;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.answerer.nn.KvCache;
import dev.vidqa.answerer.nn.RmsNorm;
import dev.vidqa.qformer.weights.Weights;

/** {@code layer.1} of a decoder block: pre-norm attention over the encoder output, with a residual. */
public final class T5LayerCrossAttention {
    private final T5Attention EncDecAttention;
    private final RmsNorm layer_norm;

    T5LayerCrossAttention(Weights w, T5Config c) {
        this.EncDecAttention = new T5Attention(w.child("EncDecAttention"), c, false);
        this.layer_norm = RmsNorm.load(w, "layer_norm", c.dModel(), c.layerNormEpsilon());
    }

    /** Keys and values of the encoder output: computed once per request, reused every step. */
    NDArray[] keyValues(NDArray encoderOutput) {
        return new NDArray[] {EncDecAttention.key(encoderOutput), EncDecAttention.value(encoderOutput)};
    }

    /** h (B,n,D), cross cache (B,H,Lenc,dkv), padding bias (B,1,1,Lenc). No position bias across stacks. */
    NDArray forward(NDArray h, KvCache cross, int layer, NDArray bias) {
        NDArray x = layer_norm.forward(h);
        return h.add(EncDecAttention.attend(EncDecAttention.query(x), cross.keys(layer), cross.values(layer), bias));
    }
}
