package dev.vidqa.answerer.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.answerer.nn.KvCache;
import dev.vidqa.answerer.nn.RmsNorm;
import dev.vidqa.qformer.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/** {@code encoder} / {@code decoder}: the blocks and the final norm. Embeddings live in the parent. */
public final class T5Stack {
    private final List<T5Block> block = new ArrayList<>();
    private final RmsNorm final_layer_norm;
    private final boolean decoder;

    public T5Stack(Weights w, T5Config c, boolean decoder) {
        this.decoder = decoder;
        int layers = decoder ? c.numDecoderLayers() : c.numLayers();
        for (int i = 0; i < layers; i++) {
            block.add(new T5Block(w.child("block", i), c, decoder, i == 0));
        }
        this.final_layer_norm = RmsNorm.load(w, "final_layer_norm", c.dModel(), c.layerNormEpsilon());
        w.skip("embed_tokens.weight"); // tied to shared.weight
    }

    int layers() {
        return block.size();
    }

    /** embeds (B,L,D), padding bias (B,1,1,L) -> encoder output (B,L,D) */
    NDArray encode(NDArray embeds, NDArray paddingBias) {
        int len = (int) embeds.getShape().get(1);
        NDArray bias = block.get(0).selfAttention().positionBias(embeds.getManager(), 0, len, len, true).add(paddingBias);
        NDArray h = embeds;
        for (T5Block b : block) {
            NDArray next = b.encode(h, bias);
            if (h != embeds) {
                h.close();
            }
            h = next;
        }
        return final_layer_norm.forward(h);
    }

    /** Cross-attention keys/values of every decoder block into {@code cross}. */
    void fillCross(KvCache cross, NDArray encoderOutput) {
        for (int i = 0; i < block.size(); i++) {
            NDArray[] kv = block.get(i).crossKeyValues(encoderOutput);
            cross.put(i, kv[0], kv[1]);
        }
    }

    /** embeds (B,n,D) of new decoder tokens after {@code past} cached ones -> hidden (B,n,D). */
    NDArray decode(NDArray embeds, int past, KvCache self, KvCache cross, NDArray causalMask, NDArray crossBias) {
        int n = (int) embeds.getShape().get(1);
        NDManager m = embeds.getManager();
        NDArray selfBias = block.get(0).selfAttention().positionBias(m, past, n, past + n, false).add(causalMask);
        NDArray h = embeds;
        for (int i = 0; i < block.size(); i++) {
            NDArray next = block.get(i).decode(h, i, self, cross, selfBias, crossBias);
            if (h != embeds) {
                h.close();
            }
            h = next;
        }
        return final_layer_norm.forward(h);
    }

    boolean isDecoder() {
        return decoder;
    }
}
