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
        NDArray logp = logits.logSoftmax(2);
        NDArray picked = logp.gather(m.create(index, new Shape(n, p, 1)), 2).reshape(n, p);
        NDArray w = m.create(weight, new Shape(n, p)).toType(picked.getDataType(), false);
        return new Value(Scalars.div(picked.mul(w).sum().neg(), count), count);
    }
}
