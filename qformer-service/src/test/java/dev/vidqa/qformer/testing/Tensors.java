package dev.vidqa.qformer.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/** Comparisons of model outputs with golden tensors, reporting the worst element. */
public final class Tensors {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Tensors.class);

    private Tensors() {}

    /** Asserts equal shapes and max |expected - actual| <= tol; returns the max. */
    public static double assertClose(String what, NDArray expected, NDArray actual, double tol) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(),
                what + ": shape " + actual.getShape() + " differs from the golden " + expected.getShape());
        float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        double max = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs((double) e[i] - a[i]);
            if (Double.isNaN(d)) {
                fail(what + ": NaN at flat index " + i);
            }
            if (d > max) {
                max = d;
                at = i;
            }
        }
        LOG.info("{}: max |Δ| = {}", what, String.format("%.2e", max));
        if (max > tol) {
            long[] idx = unravel(at, expected.getShape().getShape());
            fail(String.format("%s: max |Δ| = %.3g > %.1g at %s (golden %.6f, got %.6f)", what, max, tol,
                    Arrays.toString(idx), e[at], a[at]));
        }
        return max;
    }

    static long[] unravel(int flat, long[] shape) {
        long[] idx = new long[shape.length];
        long rest = flat;
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = rest % shape[i];
            rest /= shape[i];
        }
        return idx;
    }
}
