package dev.vidqa.answerer.t5;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.answerer.nn.KvCache;
import dev.vidqa.qformer.nn.Scopes;
import dev.vidqa.qformer.weights.Weights;

/**
 * {@code block.i}. Encoder: {@code layer.0} self-attention, {@code layer.1} feed-forward. Decoder:
 * {@code layer.0} causal self-attention, {@code layer.1} cross-attention, {@code layer.2} feed-forward.
 */
public final class T5Block {
    private final T5LayerSelfAttention selfAttention; // layer.0
    private final T5LayerCrossAttention crossAttention; // layer.1 in the decoder, else null
    private final T5LayerFF ff; // the last layer

    T5Block(Weights w, T5Config c, boolean decoder, boolean first) {
        this.selfAttention = new T5LayerSelfAttention(w.child("layer", 0), c, first);
        this.crossAttention = decoder ? new T5LayerCrossAttention(w.child("layer", 1), c) : null;
        this.ff = new T5LayerFF(w.child("layer", decoder ? 2 : 1), c);
    }

    T5Attention selfAttention() {
        return selfAttention.SelfAttention;
    }

    /** Encoder block: h (B,L,D), bias (B,H,L,L) = position bias + padding mask. */
    NDArray encode(NDArray h, NDArray bias) {
        return Scopes.run(() -> ff.forward(selfAttention.forward(h, bias)));
    }

    NDArray[] crossKeyValues(NDArray encoderOutput) {
        return crossAttention.keyValues(encoderOutput);
    }

    /** Decoder block for n new tokens h (B,n,D): self bias (B|1,H,n,T), cross bias (B,1,1,Lenc). */
    NDArray decode(NDArray h, int layer, KvCache self, KvCache cross, NDArray selfBias, NDArray crossBias) {
        return Scopes.run(() -> {
            NDArray s = selfAttention.forward(h, selfBias, self, layer);
            return ff.forward(crossAttention.forward(s, cross, layer, crossBias));
        });
    }
}
