package dev.vidqa.answerer.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.qformer.nn.Attention;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;

/**
 * {@code SelfAttention} / {@code EncDecAttention}: T5 attention has no biases and no score scaling
 * (the scaling is folded into the initialisation of {@code q}). The first block of each stack owns
 * {@code relative_attention_bias}, a learned bias per head and relative-distance bucket that all
 * blocks of the stack share.
 */
public final class T5Attention {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final NDArray relative_attention_bias; // (buckets, heads) or null
    private final T5Config config;

    public T5Attention(Weights w, T5Config c, boolean hasRelativeAttentionBias) {
        long d = c.dModel();
        long inner = c.innerDim();
        this.config = c;
        this.q = Linear.load(w, "q", inner, d, false);
        this.k = Linear.load(w, "k", inner, d, false);
        this.v = Linear.load(w, "v", inner, d, false);
        this.o = Linear.load(w, "o", d, inner, false);
        this.relative_attention_bias = hasRelativeAttentionBias
                ? w.child("relative_attention_bias").get("weight", c.relativeAttentionNumBuckets(), c.numHeads())
                : null;
    }

    /** (B,L,D) -> (B,H,L,dkv) */
    public NDArray query(NDArray x) {
        return Attention.splitHeads(q.forward(x), config.numHeads());
    }

    public NDArray key(NDArray x) {
        return Attention.splitHeads(k.forward(x), config.numHeads());
    }

    public NDArray value(NDArray x) {
        return Attention.splitHeads(v.forward(x), config.numHeads());
    }

    /** softmax(q k^T + bias) v, heads merged and projected by {@code o}: (B,Lq,D). */
    public NDArray attend(NDArray query, NDArray keys, NDArray values, NDArray bias) {
        return o.forward(Attention.mergeHeads(Attention.attend(query, keys, values, bias, 1f)));
    }

    /**
     * The learned relative position bias (1,H,qLen,kLen) for queries at positions
     * {@code qStart..qStart+qLen-1} over keys at {@code 0..kLen-1}.
     */
    public NDArray positionBias(NDManager m, int qStart, int qLen, int kLen, boolean bidirectional) {
        if (relative_attention_bias == null) {
            throw new IllegalStateException("only the first block of a T5 stack has relative_attention_bias");
        }
        // relative_position[i][j] = key position j - query position (qStart + i)
        NDArray memory = m.arange(0, kLen, 1, DataType.INT64).reshape(1, kLen);
        NDArray context = m.arange(qStart, qStart + qLen, 1, DataType.INT64).reshape(qLen, 1);
        NDArray buckets = bucket(memory.sub(context), bidirectional,
                config.relativeAttentionNumBuckets(), config.relativeAttentionMaxDistance());
        // (qLen,kLen) -> (qLen,kLen,H) -> (1,H,qLen,kLen)
        NDArray values = Embedding.embedding(buckets, relative_attention_bias, SparseFormat.DENSE).singletonOrThrow();
        return values.transpose(2, 0, 1).expandDims(0);
    }

    /**
     * T5's bucketing of relative positions: exact buckets for small distances, logarithmic ones up
     * to {@code maxDistance}. The logarithm is taken in float32, as the reference does, so bucket
     * boundaries fall on the same distances.
     */
    static NDArray bucket(NDArray relative, boolean bidirectional, int numBuckets, int maxDistance) {
        NDArray buckets = relative.zerosLike();
        NDArray rel = relative;
        int n = numBuckets;
        if (bidirectional) {
            n /= 2;
            buckets = buckets.add(rel.gt(0).toType(DataType.INT64, false).mul(n));
            rel = rel.abs();
        } else {
            rel = rel.minimum(0).neg();
        }
        int maxExact = n / 2;
        NDArray isSmall = rel.lt(maxExact);
        NDArray large = rel.toType(DataType.FLOAT32, false)
                .div((float) maxExact)
                .log()
                .div((float) Math.log(maxDistance / (double) maxExact))
                .mul((float) (n - maxExact))
                .toType(DataType.INT64, false)
                .add(maxExact)
                .minimum(n - 1);
        return buckets.add(NDArrays.where(isSmall, rel, large));
    }
}
