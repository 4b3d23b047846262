package dev.vidqa.qformer.nn;

import ai.djl.ndarray.NDArray;

/** Shape plumbing and the softmax attention core shared by every attention block. */
public final class Attention {
    private Attention() {}

    /** (B,L,N*H) -> (B,N,L,H) */
    public static NDArray splitHeads(NDArray x, int heads) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        return x.reshape(b, l, heads, -1).transpose(0, 2, 1, 3);
    }

    /** (B,N,L,H) -> (B,L,N*H) */
    public static NDArray mergeHeads(NDArray x) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(2);
        return x.transpose(0, 2, 1, 3).reshape(b, l, -1);
    }

    /**
     * softmax(q k^T * scale + bias) v, with q (B,N,Lq,H), k and v (B,N,Lk,H). {@code bias} is added
     * to the scores before the softmax (an additive mask, or a relative position bias, or both) and
     * broadcasts to (B,N,Lq,Lk); it may be null. Returns (B,N,Lq,H).
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias, float scale) {
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
        if (scale != 1f) {
            scores = Scalars.mul(scores, scale);
        }
        if (bias != null) {
            scores = scores.add(bias);
        }
        return scores.softmax(-1).matMul(v);
    }
}
