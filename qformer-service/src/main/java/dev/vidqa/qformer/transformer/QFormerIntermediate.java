package dev.vidqa.qformer.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;

/** {@code intermediate} / {@code intermediate_query}: dense and the exact (erf) GELU. */
public final class QFormerIntermediate {
    private final Linear dense;

    public QFormerIntermediate(Weights w, long in, long out) {
        this.dense = Linear.load(w, "dense", out, in, true);
    }

    public NDArray forward(NDArray x) {
        return Activation.gelu(dense.forward(x));
    }
}
