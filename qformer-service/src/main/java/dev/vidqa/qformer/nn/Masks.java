package dev.vidqa.qformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Attention masks as additive score biases. */
public final class Masks {
    /**
     * What a masked position adds to its attention score. Large enough that exp() underflows to
     * exactly 0 next to any real score, small enough that sums with it stay finite in float32.
     */
    public static final float MASKED = -1e9f;

    private Masks() {}

    /** (B,L) of 1 = attend / 0 = padding -> (B,1,1,L) additive bias. */
    public static NDArray padding(NDArray mask) {
        NDArray m = mask.toType(DataType.FLOAT32, false);
        return m.neg().add(1f).mul(MASKED).expandDims(1).expandDims(1);
    }
}
