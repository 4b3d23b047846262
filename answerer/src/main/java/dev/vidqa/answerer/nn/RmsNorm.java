package dev.vidqa.answerer.nn;

import ai.djl.ndarray.NDArray;
import dev.vidqa.qformer.weights.Weights;

/**
 * T5's LayerNorm and LLaMA's RMSNorm, the same thing: scale by the root mean square, no mean
 * subtraction, no bias. {@code x * rsqrt(mean(x^2) + eps) * weight}.
 */
public record RmsNorm(NDArray weight, float eps) {

    public static RmsNorm load(Weights w, String name, long dim, double eps) {
        return new RmsNorm(w.child(name).get("weight", dim), (float) eps);
    }

    public NDArray forward(NDArray x) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.div(variance.add(eps).sqrt()).mul(weight);
    }
}
