package dev.vidqa.answerer.llama;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.config.LlamaConfig;
import dev.vidqa.answerer.nn.KvCache;
import dev.vidqa.answerer.nn.RmsNorm;
import dev.vidqa.qformer.nn.Scopes;
import dev.vidqa.qformer.weights.Weights;

/** {@code layers.i}: pre-norm attention and MLP, each with a residual. */
public final class LlamaDecoderLayer {
    private final RmsNorm input_layernorm;
    private final LlamaAttention self_attn;
    private final RmsNorm post_attention_layernorm;
    private final LlamaMLP mlp;

    public LlamaDecoderLayer(Weights w, LlamaConfig c) {
        this.input_layernorm = RmsNorm.load(w, "input_layernorm", c.hiddenSize(), c.rmsNormEps());
        this.self_attn = new LlamaAttention(w.child("self_attn"), c);
        this.post_attention_layernorm = RmsNorm.load(w, "post_attention_layernorm", c.hiddenSize(), c.rmsNormEps());
        this.mlp = new LlamaMLP(w.child("mlp"), c);
    }

    NDArray forward(NDArray h, NDArray cos, NDArray sin, NDArray bias, KvCache cache, int layer) {
        return Scopes.run(() -> {
            NDArray a = h.add(self_attn.forward(input_layernorm.forward(h), cos, sin, bias, cache, layer));
            return a.add(mlp.forward(post_attention_layernorm.forward(a)));
        });
    }
}
