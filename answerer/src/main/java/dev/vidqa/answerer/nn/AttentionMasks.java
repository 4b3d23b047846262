package dev.vidqa.answerer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.qformer.nn.Masks;

/** Additive attention biases for causal decoding over (possibly padded) rows. */
public final class AttentionMasks {
    private AttentionMasks() {}

    /**
     * (rows,1,n,past+n): query i (absolute position past+i) may see key j iff j <= past+i and
     * {@code valid[row][j]}. {@code valid} covers all past+n keys; null means every key is valid.
     */
    public static NDArray causal(NDManager m, int rows, int past, int n, boolean[][] valid) {
        int total = past + n;
        int r = valid == null ? 1 : rows;
        float[] bias = new float[r * n * total];
        for (int b = 0; b < r; b++) {
            for (int i = 0; i < n; i++) {
                int base = (b * n + i) * total;
                for (int j = 0; j < total; j++) {
                    boolean ok = j <= past + i && (valid == null || valid[b][j]);
                    bias[base + j] = ok ? 0f : Masks.MASKED;
                }
            }
        }
        return m.create(bias, new Shape(r, 1, n, total));
    }

    /** (rows,1,1,L) from per-row validity of the keys. */
    public static NDArray padding(NDManager m, boolean[][] valid) {
        int rows = valid.length;
        int len = valid[0].length;
        float[] bias = new float[rows * len];
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < len; j++) {
                bias[b * len + j] = valid[b][j] ? 0f : Masks.MASKED;
            }
        }
        return m.create(bias, new Shape(rows, 1, 1, len));
    }
}
