package dev.vidqa.qformer.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.vidqa.qformer.config.VisionConfig;
import dev.vidqa.qformer.nn.Attention;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;

/**
 * {@code self_attn}: multi-head self-attention with one fused {@code qkv} projection. Its bias is
 * stored as {@code [q_bias, 0, v_bias]} (EVA has no key bias), so a plain Linear reproduces it.
 */
public final class VisionAttention {
    private final Linear qkv;
    private final Linear projection;
    private final int heads;
    private final float scale;

    public VisionAttention(Weights w, VisionConfig c) {
        long d = c.hiddenSize();
        this.qkv = Linear.load(w, "qkv", 3 * d, d, c.qkvBias());
        this.projection = Linear.load(w, "projection", d, d, true);
        this.heads = c.numAttentionHeads();
        this.scale = (float) Math.pow(c.headDim(), -0.5);
    }

    /** (N,L,D) -> (N,L,D) */
    public NDArray forward(NDArray x) {
        long n = x.getShape().get(0);
        long l = x.getShape().get(1);
        // (N,L,3D) -> (N,L,3,heads,hd) -> (3,N,heads,L,hd)
        NDArray mixed = qkv.forward(x).reshape(n, l, 3, heads, -1).transpose(2, 0, 3, 1, 4);
        NDList qkvSplit = mixed.split(3, 0);
        NDArray q = qkvSplit.get(0).squeeze(0);
        NDArray k = qkvSplit.get(1).squeeze(0);
        NDArray v = qkvSplit.get(2).squeeze(0);
        NDArray context = Attention.attend(q, k, v, null, scale);
        return projection.forward(Attention.mergeHeads(context));
    }
}
