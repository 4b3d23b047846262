package dev.vidqa.qformer.transformer;

import ai.djl.ndarray.NDArray;
import dev.vidqa.qformer.nn.LayerNorm;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;

/**
 * {@code attention.output}, {@code output}, {@code output_query}: dense, then a post-LayerNorm
 * over the residual sum, as in BERT.
 */
public final class QFormerOutput {
    private final Linear dense;
    private final LayerNorm LayerNorm;

    public QFormerOutput(Weights w, long in, long out, double eps) {
        this.dense = Linear.load(w, "dense", out, in, true);
        this.LayerNorm = dev.vidqa.qformer.nn.LayerNorm.load(w, "LayerNorm", out, eps);
    }

    /** LayerNorm(dense(h) + residual) */
    public NDArray forward(NDArray h, NDArray residual) {
        return LayerNorm.forward(dense.forward(h).add(residual));
    }
}
