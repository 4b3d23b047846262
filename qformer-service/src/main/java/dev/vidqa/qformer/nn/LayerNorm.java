package dev.vidqa.qformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.qformer.weights.Weights;

/** Standard LayerNorm over the last dimension, with weight and bias. */
public record LayerNorm(NDArray weight, NDArray bias, float eps) {

    public static LayerNorm load(Weights w, String name, long dim, double eps) {
        Weights l = w.child(name);
        return new LayerNorm(l.get("weight", dim), l.get("bias", dim), (float) eps);
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, eps)
                .singletonOrThrow();
    }
}
