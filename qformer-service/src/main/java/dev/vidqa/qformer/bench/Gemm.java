package dev.vidqa.qformer.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Measures the float32 matrix-multiply throughput of this machine through the same engine. */
public final class Gemm {
    private Gemm() {}

    /** Best FLOP/s of {@code (m,k) x (k,n)} over {@code reps} timed runs after one warm-up. */
    public static double flops(Device device, int m, int k, int n, int reps) {
        try (NDManager mgr = NDManager.newBaseManager(device)) {
            NDArray a = mgr.randomNormal(0, 1, new Shape(m, k), DataType.FLOAT32);
            NDArray b = mgr.randomNormal(0, 1, new Shape(k, n), DataType.FLOAT32);
            a.matMul(b).close();
            double best = 0;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // force completion on asynchronous devices
                long dt = System.nanoTime() - t0;
                c.close();
                best = Math.max(best, 2.0 * m * k * n / (dt / 1e9));
            }
            return best;
        }
    }

    /** The machine's float32 GEMM throughput: the best of square 1024 and 2048 products. */
    public static double peak(Device device) {
        return Math.max(flops(device, 1024, 1024, 1024, 5), flops(device, 2048, 2048, 2048, 3));
    }
}
