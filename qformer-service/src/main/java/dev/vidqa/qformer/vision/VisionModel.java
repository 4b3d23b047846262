package dev.vidqa.qformer.vision;

import ai.djl.ndarray.NDArray;
import dev.vidqa.qformer.config.VisionConfig;
import dev.vidqa.qformer.nn.LayerNorm;
import dev.vidqa.qformer.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vision_model}: the frozen EVA ViT-g/14. Its output depends on the frame only, never on
 * the question, which is what makes the frame-feature cache of the streaming system possible.
 */
public final class VisionModel {
    private final VisionConfig config;
    private final VisionEmbeddings embeddings;
    private final List<VisionEncoderLayer> layers;
    private final LayerNorm post_layernorm;

    public VisionModel(Weights w, VisionConfig c) {
        this.config = c;
        this.embeddings = new VisionEmbeddings(w.child("embeddings"), c);
        this.layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(new VisionEncoderLayer(w.child("encoder.layers", i), c));
        }
        this.post_layernorm = LayerNorm.load(w, "post_layernorm", c.hiddenSize(), c.layerNormEps());
    }

    /** pixels (N,3,S,S) -> last hidden state after post_layernorm (N,1+patches,D) */
    public NDArray forward(NDArray pixels) {
        NDArray h = embeddings.forward(pixels);
        for (VisionEncoderLayer layer : layers) {
            NDArray next = layer.forward(h);
            h.close(); // keep one layer's activations alive at a time, not 39
            h = next;
        }
        NDArray out = post_layernorm.forward(h);
        h.close();
        return out;
    }

    public VisionConfig config() {
        return config;
    }
}
