package dev.vidqa.qformer.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.vidqa.qformer.config.VisionConfig;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;

/** {@code mlp}: fc1, exact (erf) GELU, fc2. */
public final class VisionMlp {
    private final Linear fc1;
    private final Linear fc2;

    public VisionMlp(Weights w, VisionConfig c) {
        this.fc1 = Linear.load(w, "fc1", c.intermediateSize(), c.hiddenSize(), true);
        this.fc2 = Linear.load(w, "fc2", c.hiddenSize(), c.intermediateSize(), true);
    }

    public NDArray forward(NDArray x) {
        return fc2.forward(Activation.gelu(fc1.forward(x)));
    }
}
