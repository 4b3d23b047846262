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
        return mean(logits, targets, excluded, 0);
    }

    /**
     * As {@link #mean(NDArray, long[], long[][])}, and with {@code margin > 0} a left-out class still
     * learns, but only while its logit is within {@code margin} of the target's: the mean over labelled
     * positions of {@code sum relu(logit_left - logit_target + margin)} is added. Softmax cross-entropy
     * pushes a wrong class down forever, so it learns "yellow is never a square" from yellow circles;
     * the mask alone leaves "square" untaught for yellow objects, so a yellow circle may be called one.
     * The hinge stops once the frames tell the two apart.
     */
    static Value mean(NDArray logits, long[] targets, long[][] excluded, double margin) {
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
        NDArray loss = picked.mul(w).sum().neg();
        if (excluded != null && margin > 0) {
            // (N,P,C) - (N,P,1) + margin, kept at the left-out classes of labelled positions only
            NDArray target = logits.gather(m.create(index, new Shape(n, p, 1)), 2);
            NDArray over = logits.sub(target).add(margin).maximum(0f);
            NDArray at = mask(m, logits.getShape(), excluded).div(LEFT_OUT).mul(w.expandDims(2))
                    .toType(over.getDataType(), false);
            loss = loss.add(over.mul(at).sum());
        }
        return new Value(Scalars.div(loss, count), count);
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
