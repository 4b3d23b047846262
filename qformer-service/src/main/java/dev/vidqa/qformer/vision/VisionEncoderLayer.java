package dev.vidqa.qformer.vision;

import ai.djl.ndarray.NDArray;
import dev.vidqa.qformer.config.VisionConfig;
import dev.vidqa.qformer.nn.LayerNorm;
import dev.vidqa.qformer.nn.Scopes;
import dev.vidqa.qformer.weights.Weights;

/** {@code encoder.layers.i}: a pre-LayerNorm transformer block. */
public final class VisionEncoderLayer {
    private final LayerNorm layer_norm1;
    private final VisionAttention self_attn;
    private final LayerNorm layer_norm2;
    private final VisionMlp mlp;

    public VisionEncoderLayer(Weights w, VisionConfig c) {
        this.layer_norm1 = LayerNorm.load(w, "layer_norm1", c.hiddenSize(), c.layerNormEps());
        this.self_attn = new VisionAttention(w.child("self_attn"), c);
        this.layer_norm2 = LayerNorm.load(w, "layer_norm2", c.hiddenSize(), c.layerNormEps());
        this.mlp = new VisionMlp(w.child("mlp"), c);
    }

    /** (N,L,D) -> (N,L,D) */
    public NDArray forward(NDArray x) {
        return Scopes.run(() -> {
            NDArray h = x.add(self_attn.forward(layer_norm1.forward(x)));
            return h.add(mlp.forward(layer_norm2.forward(h)));
        });
    }
}
