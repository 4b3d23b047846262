package dev.vidqa.answerer.t5;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.answerer.nn.RmsNorm;
import dev.vidqa.qformer.weights.Weights;

/** The last {@code layer.i} of a block: pre-norm feed-forward with a residual. */
public final class T5LayerFF {
    private final T5DenseReluDense DenseReluDense;
    private final RmsNorm layer_norm;

    T5LayerFF(Weights w, T5Config c) {
        this.DenseReluDense = new T5DenseReluDense(w.child("DenseReluDense"), c);
        this.layer_norm = RmsNorm.load(w, "layer_norm", c.dModel(), c.layerNormEpsilon());
    }

    NDArray forward(NDArray h) {
        return h.add(DenseReluDense.forward(layer_norm.forward(h)));
    }
}
