package dev.vidqa.qformer.nn;

import ai.djl.ndarray.NDArray;
import dev.vidqa.qformer.weights.Weights;

/** A dense layer {@code y = x W^T + b} with {@code W} stored {@code [out, in]} as in PyTorch. */
public record Linear(NDArray weight, NDArray bias) {

    /** Loads {@code name.weight} {@code [out, in]} and, when {@code withBias}, {@code name.bias}. */
    public static Linear load(Weights w, String name, long out, long in, boolean withBias) {
        Weights l = w.child(name);
        return new Linear(l.get("weight", out, in), withBias ? l.get("bias", out) : null);
    }

    /** (..., in) -> (..., out) */
    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }
}
