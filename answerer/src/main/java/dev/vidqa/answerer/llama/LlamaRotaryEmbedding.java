package dev.vidqa.answerer.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.answerer.config.LlamaConfig;

/**
 * Rotary position embeddings, rotate-half layout: dimension i pairs with i + head_dim/2. Inverse
 * frequencies {@code theta^(-2i/d)} (scaled per {@code rope_type}) are computed in float32 as the
 * reference does, and cos/sin are rebuilt per call from the positions (no weights).
 */
public final class LlamaRotaryEmbedding {
    private final float[] invFreq;

    public LlamaRotaryEmbedding(LlamaConfig c) {
        this.invFreq = inverseFrequencies(c);
    }

    static float[] inverseFrequencies(LlamaConfig c) {
        int d = c.headDim();
        LlamaConfig.RopeScaling r = c.rope();
        float[] inv = new float[d / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / d;
            inv[i] = (float) (1.0 / Math.pow(r.theta(), exponent));
        }
        switch (r.type()) {
            case "linear" -> {
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = (float) (inv[i] / r.factor());
                }
            }
            case "llama3" -> {
                double lowWavelen = r.originalMaxPositions() / r.lowFreqFactor();
                double highWavelen = r.originalMaxPositions() / r.highFreqFactor();
                for (int i = 0; i < inv.length; i++) {
                    double wavelen = 2 * Math.PI / inv[i];
                    if (wavelen > lowWavelen) {
                        inv[i] = (float) (inv[i] / r.factor());
                    } else if (wavelen >= highWavelen) {
                        double smooth = (r.originalMaxPositions() / wavelen - r.lowFreqFactor())
                                / (r.highFreqFactor() - r.lowFreqFactor());
                        inv[i] = (float) ((1 - smooth) * inv[i] / r.factor() + smooth * inv[i]);
                    }
                }
            }
            default -> { }
        }
        return inv;
    }

    /** positions (B,L) int64 -> {cos, sin}, each (B,1,L,head_dim) */
    public NDArray[] cosSin(NDArray positions) {
        NDManager m = positions.getManager();
        long b = positions.getShape().get(0);
        long l = positions.getShape().get(1);
        NDArray inv = m.create(invFreq, new Shape(1, 1, invFreq.length));
        // (B,L,1) * (1,1,d/2) -> (B,L,d/2), then duplicated halves -> (B,L,d)
        NDArray freqs = positions.toType(DataType.FLOAT32, false).reshape(b, l, 1).mul(inv);
        NDArray emb = NDArrays.concat(new NDList(freqs, freqs), -1).expandDims(1);
        return new NDArray[] {emb.cos(), emb.sin()};
    }

    /** x (B,H,L,hd) rotated: x cos + rotate_half(x) sin, rotate_half(x) = [-x2, x1]. */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(":, :, :, :{}", half);
        NDArray x2 = x.get(":, :, :, {}:", half);
        NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), 3);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
