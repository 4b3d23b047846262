package dev.vidqa.answerer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.qformer.nn.Scalars;

/** Cross-entropy with Hugging Face's ignore index: the mean over the positions that have a label. */
final class CrossEntropy {
    /** No label at this position. */
    static final long IGNORE = -100;

    private CrossEntropy() {}

    /** The loss (in the graph) and how many positions it averages. */
    record Value(NDArray loss, int count) {}

    /**
     * @param logits (N,P,C)
     * @param targets N*P classes, row-major, {@value #IGNORE} where there is no label (at least one must have one)
     */
    static Value mean(NDArray logits, long[] targets) {
        return mean(logits, targets, null);
    }

    /**
     * As {@link #mean(NDArray, long[])}, with classes left out of some positions' softmax.
     *
     * @param excluded per position (N*P, row-major), the classes left out there (null or empty: none)
     */
    static Value mean(NDArray logits, long[] targets, long[][] excluded) {
        NDManager m = logits.getManager();
        long n = logits.getShape().get(0);
        long p = logits.getShape().get(1);
        long[] index = new long[targets.length];
        float[] weight = new float[targets.length];
        int count = 0;
        for (int i = 0; i < targets.length; i++) {
            boolean real = targets[i] != IGNORE;
            index[i] = real ? targets[i] : 0;
            weight[i] = real ? 1f : 0f;
            count += real ? 1 : 0;
        }
        // (N,P,C) -> log-probabilities -> (N,P,1) at each target
        NDArray logp = (excluded == null ? logits : logits.add(mask(m, logits.getShape(), excluded))).logSoftmax(2);
        NDArray picked = logp.gather(m.create(index, new Shape(n, p, 1)), 2).reshape(n, p);
        NDArray w = m.create(weight, new Shape(n, p)).toType(picked.getDataType(), false);
        return new Value(Scalars.div(picked.mul(w).sum().neg(), count), count);
    }

    /** A class left out of a softmax gets this added to its logit: exp underflows to 0 in float32. */
    static final float LEFT_OUT = -1e4f;

    /** (N,P,C): {@link #LEFT_OUT} at each position's excluded classes, 0 elsewhere (no gradient: a constant). */
    private static NDArray mask(NDManager m, Shape shape, long[][] excluded) {
        int c = (int) shape.get(2);
        float[] add = new float[excluded.length * c];
        for (int i = 0; i < excluded.length; i++) {
            if (excluded[i] != null) {
                for (long k : excluded[i]) {
                    add[i * c + (int) k] = LEFT_OUT;
                }
            }
        }
        return m.create(add, shape);
    }
}
