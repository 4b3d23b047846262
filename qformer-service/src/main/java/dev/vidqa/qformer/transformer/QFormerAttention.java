package dev.vidqa.qformer.transformer;

import ai.djl.ndarray.NDArray;
import dev.vidqa.qformer.config.QFormerConfig;
import dev.vidqa.qformer.weights.Weights;

/** {@code attention} / {@code crossattention}: multi-head attention plus its output block. */
public final class QFormerAttention {
    private final QFormerMultiHeadAttention attention;
    private final QFormerOutput output;

    public QFormerAttention(Weights w, QFormerConfig c, boolean cross) {
        this.attention = new QFormerMultiHeadAttention(w.child("attention"), c, cross);
        this.output = new QFormerOutput(w.child("output"), c.hiddenSize(), c.hiddenSize(), c.layerNormEps());
    }

    public NDArray forward(NDArray x, NDArray context, NDArray maskBias) {
        return output.forward(attention.forward(x, context, maskBias), x);
    }
}
