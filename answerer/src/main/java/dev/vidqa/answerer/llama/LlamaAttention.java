package dev.vidqa.answerer.llama;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.config.LlamaConfig;
import dev.vidqa.answerer.nn.KvCache;
import dev.vidqa.qformer.nn.Attention;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;

/**
 * {@code self_attn}: causal multi-head attention with rotary positions and grouped-query
 * attention (each key/value head serves {@code heads / kv_heads} query heads).
 */
public final class LlamaAttention {
    private final Linear q_proj;
    private final Linear k_proj;
    private final Linear v_proj;
    private final Linear o_proj;
    private final int heads;
    private final int kvHeads;
    private final float scale;

    public LlamaAttention(Weights w, LlamaConfig c) {
        long d = c.hiddenSize();
        long hd = c.headDim();
        this.heads = c.numAttentionHeads();
        this.kvHeads = c.numKeyValueHeads();
        this.q_proj = Linear.load(w, "q_proj", heads * hd, d, c.attentionBias());
        this.k_proj = Linear.load(w, "k_proj", kvHeads * hd, d, c.attentionBias());
        this.v_proj = Linear.load(w, "v_proj", kvHeads * hd, d, c.attentionBias());
        this.o_proj = Linear.load(w, "o_proj", d, heads * hd, c.attentionBias());
        this.scale = (float) Math.pow(hd, -0.5);
    }

    /**
     * x (B,n,D) for n new tokens; cos/sin (B,1,n,hd); bias (B,1,n,T) causal + padding over all T
     * cached-plus-new keys -> (B,n,D)
     */
    public NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray bias, KvCache cache, int layer) {
        NDArray q = LlamaRotaryEmbedding.apply(Attention.splitHeads(q_proj.forward(x), heads), cos, sin);
        NDArray k = LlamaRotaryEmbedding.apply(Attention.splitHeads(k_proj.forward(x), kvHeads), cos, sin);
        NDArray v = Attention.splitHeads(v_proj.forward(x), kvHeads);
        NDArray[] kv = cache.append(layer, k, v); // the cache keeps kv heads, not repeated ones
        NDArray keys = repeatKv(kv[0]);
        NDArray values = repeatKv(kv[1]);
        return o_proj.forward(Attention.mergeHeads(Attention.attend(q, keys, values, bias, scale)));
    }

    /** (B,Hkv,T,hd) -> (B,H,T,hd), each kv head repeated for its group of query heads. */
    private NDArray repeatKv(NDArray x) {
        int rep = heads / kvHeads;
        if (rep == 1) {
            return x;
        }
        long[] s = x.getShape().getShape();
        return x.expandDims(2).repeat(2, rep).reshape(s[0], (long) heads, s[2], s[3]);
    }
}
