package dev.vidqa.answerer.t5;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;

/**
 * {@code DenseReluDense}: {@code wo(act(wi(x)))}, or the gated form {@code wo(act(wi_0(x)) * wi_1(x))}
 * used by FlanT5 (whatever activation the config names, despite the class's historical name).
 */
public final class T5DenseReluDense {
    private final Linear wi; // non-gated
    private final Linear wi_0; // gated
    private final Linear wi_1; // gated
    private final Linear wo;
    private final T5Config config;

    public T5DenseReluDense(Weights w, T5Config c) {
        this.config = c;
        if (c.gated()) {
            this.wi = null;
            this.wi_0 = Linear.load(w, "wi_0", c.dFf(), c.dModel(), false);
            this.wi_1 = Linear.load(w, "wi_1", c.dFf(), c.dModel(), false);
        } else {
            this.wi = Linear.load(w, "wi", c.dFf(), c.dModel(), false);
            this.wi_0 = null;
            this.wi_1 = null;
        }
        this.wo = Linear.load(w, "wo", c.dModel(), c.dFf(), false);
    }

    public NDArray forward(NDArray x) {
        NDArray h = config.gated()
                ? config.activation().apply(wi_0.forward(x)).mul(wi_1.forward(x))
                : config.activation().apply(wi.forward(x));
        return wo.forward(h);
    }
}
