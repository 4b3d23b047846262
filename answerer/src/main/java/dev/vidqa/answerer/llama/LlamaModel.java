package dev.vidqa.answerer.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.vidqa.answerer.config.LlamaConfig;
import dev.vidqa.answerer.nn.KvCache;
import dev.vidqa.answerer.nn.RmsNorm;
import dev.vidqa.qformer.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/** {@code model}: token embeddings, decoder layers, final norm. */
public final class LlamaModel {
    private final NDArray embed_tokens; // (V,D)
    private final List<LlamaDecoderLayer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final LlamaRotaryEmbedding rotary;

    public LlamaModel(Weights w, LlamaConfig c) {
        this.embed_tokens = w.child("embed_tokens").get("weight", c.vocabSize(), c.hiddenSize());
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(new LlamaDecoderLayer(w.child("layers", i), c));
        }
        this.norm = RmsNorm.load(w, "norm", c.hiddenSize(), c.rmsNormEps());
        this.rotary = new LlamaRotaryEmbedding(c);
    }

    NDArray embedTokens() {
        return embed_tokens;
    }

    int numLayers() {
        return layers.size();
    }

    /** ids (B,L) -> (B,L,D) */
    NDArray embed(NDArray ids) {
        return Embedding.embedding(ids, embed_tokens, SparseFormat.DENSE).singletonOrThrow();
    }

    /** embeds (B,n,D) of new positions (B,n) with bias (B,1,n,T) -> normed hidden (B,n,D) */
    NDArray forward(NDArray embeds, NDArray positions, NDArray bias, KvCache cache) {
        NDArray[] cs = rotary.cosSin(positions);
        NDArray h = embeds;
        for (int i = 0; i < layers.size(); i++) {
            NDArray next = layers.get(i).forward(h, cs[0], cs[1], bias, cache, i);
            if (h != embeds) {
                h.close();
            }
            h = next;
        }
        return norm.forward(h);
    }
}
