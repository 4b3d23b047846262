package dev.vidqa.qformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant, safe under autograd. DJL's {@code mul(Number)}, {@code div(Number)}
 * and {@code pow(Number)} wrap the constant in a tensor over a Java direct buffer and close it at
 * once; autograd saves that tensor for the backward pass (d(x*c)/dx = c), so after the next
 * garbage collection the backward pass reads freed memory and gradients turn to NaN or 1e35 at
 * random (seen in training, made certain by calling System.gc() in a loop). Here the constant is a
 * libtorch-owned tensor, which the graph keeps alive for as long as it needs it.
 */
public final class Scalars {
    private Scalars() {}

    public static NDArray mul(NDArray x, double c) {
        try (NDArray s = constant(x, c)) {
            return x.mul(s);
        }
    }

    public static NDArray div(NDArray x, double c) {
        try (NDArray s = constant(x, c)) {
            return x.div(s);
        }
    }

    public static NDArray pow(NDArray x, double c) {
        try (NDArray s = constant(x, c)) {
            return x.pow(s);
        }
    }

    /** A 0-d tensor of {@code x}'s type holding {@code c} (as float, as DJL's own scalar ops round it). */
    private static NDArray constant(NDArray x, double c) {
        return x.getManager().full(new Shape(), (float) c, x.getDataType());
    }
}
