package dev.vidqa.answerer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.qformer.nn.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Linear classifiers over features at every position (a patch, a frame): groups of labels, each a
 * softmax over its classes, cross-entropy averaged over the labelled positions ({@value #IGNORE} =
 * no label there), the groups' losses weighted and summed. The auxiliary targets of the world
 * recipe's pretraining stages; the heads are thrown away afterwards.
 */
public final class LinearHeads implements AutoCloseable {
    /** No label at this position (Hugging Face's ignore index). */
    public static final int IGNORE = (int) CrossEntropy.IGNORE;

    private final String name;
    private final int[] classes;
    private final double[] weights;
    private final NDManager manager;
    private final NDArray weight; // (in, sum classes)
    private final NDArray bias; // (sum classes)

    public LinearHeads(String name, int in, int[] classes, double[] weights, long seed) {
        if (classes.length == 0 || classes.length != weights.length) {
            throw new IllegalArgumentException("one weight per label group");
        }
        this.name = name;
        this.classes = classes.clone();
        this.weights = weights.clone();
        int total = 0;
        for (int c : classes) {
            total += c;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] w = new float[in * total];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() / Math.sqrt(in));
        }
        this.manager = NDManager.newBaseManager();
        this.weight = manager.create(w, new Shape(in, total));
        this.bias = manager.zeros(new Shape(total));
    }

    /** The heads' weights as trainable parameters. */
    public Parameters parameters() {
        List<Parameters.Param> list = new ArrayList<>();
        list.add(new Parameters.Param(name + ".weight", weight, true));
        list.add(new Parameters.Param(name + ".bias", bias, false));
        return Parameters.of(list);
    }

    /** A loss in the graph and each group's accuracy over its labelled positions. */
    public record Value(NDArray loss, double[] accuracy) {}

    /**
     * @param features (N,P,in)
     * @param targets per group, the class at each of the N*P positions (row-major) or {@value #IGNORE}
     */
    public Value loss(NDArray features, int[][] targets) {
        return loss(features, targets, null);
    }

    /**
     * As {@link #loss(NDArray, int[][])}, with classes left out of some positions' softmax (see
     * {@link AnswerExclusions}): per group (null: none), per position (null: none), the classes.
     * Accuracy is the argmax over all classes.
     */
    public Value loss(NDArray features, int[][] targets, long[][][] excluded) {
        long n = features.getShape().get(0);
        long p = features.getShape().get(1);
        NDArray logits = features.matMul(weight).add(bias); // (N,P,C)
        NDArray total = null;
        double[] acc = new double[classes.length];
        int from = 0;
        for (int g = 0; g < classes.length; g++) {
            int[] t = targets[g];
            if (t.length != n * p) {
                throw new IllegalArgumentException(name + " group " + g + ": " + t.length + " targets for " + n * p
                        + " positions");
            }
            long[] idx = new long[t.length];
            int labelled = 0;
            for (int i = 0; i < t.length; i++) {
                idx[i] = t[i];
                labelled += t[i] != IGNORE ? 1 : 0;
            }
            NDArray part = logits.get(new NDIndex(":, :, {}:{}", from, from + classes[g])); // (N,P,Cg)
            from += classes[g];
            if (labelled == 0) {
                continue;
            }
            long[][] left = excluded == null ? null : excluded[g];
            NDArray ce = Scalars.mul(CrossEntropy.mean(part, idx, left).loss(), weights[g]);
            total = total == null ? ce : total.add(ce);
            try (NDArray am = part.argMax(2).toType(DataType.INT64, false).reshape(n * p)) {
                long[] pred = am.toLongArray();
                int right = 0;
                for (int i = 0; i < pred.length; i++) {
                    right += idx[i] != IGNORE && pred[i] == idx[i] ? 1 : 0;
                }
                acc[g] = right / (double) labelled;
            }
        }
        if (total == null) {
            throw new IllegalArgumentException(name + ": no labelled position in the batch");
        }
        return new Value(total, acc);
    }

    @Override
    public void close() {
        manager.close();
    }
}
