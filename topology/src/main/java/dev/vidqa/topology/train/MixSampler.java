package dev.vidqa.topology.train;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws which dataset the next training example comes from. The paper samples a dataset of size S
 * with probability proportional to √S, so that large datasets do not drown small ones and small
 * ones are not overfitted; {@code uniform} and {@code proportional} are the two extremes. Weights
 * may be overridden per dataset (the paper lowers some by hand).
 */
public final class MixSampler {

    public enum Mode {
        SQRT, UNIFORM, PROPORTIONAL;

        public static Mode parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown --mix '" + s + "' (sqrt, uniform or proportional)");
            }
        }
    }

    private final double[] cumulative;
    private final double[] probabilities;

    /**
     * @param sizes each dataset's size
     * @param overrides weights by dataset name that replace the computed ones (before normalising)
     */
    public MixSampler(List<String> names, List<Integer> sizes, Mode mode, Map<String, Double> overrides) {
        if (names.size() != sizes.size() || names.isEmpty()) {
            throw new IllegalArgumentException("no datasets to mix");
        }
        for (String o : overrides.keySet()) {
            if (!names.contains(o)) {
                throw new IllegalArgumentException("--mix-weight names '" + o + "', which is not a training dataset "
                        + names);
            }
        }
        double[] w = new double[names.size()];
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            int s = sizes.get(i);
            w[i] = overrides.containsKey(names.get(i)) ? overrides.get(names.get(i)) : switch (mode) {
                case SQRT -> Math.sqrt(s);
                case UNIFORM -> s > 0 ? 1 : 0;
                case PROPORTIONAL -> s;
            };
            if (w[i] < 0 || !Double.isFinite(w[i]) || (s == 0 && w[i] > 0)) {
                w[i] = 0;
            }
            total += w[i];
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("every dataset has weight 0: nothing to train on");
        }
        probabilities = new double[w.length];
        cumulative = new double[w.length];
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            probabilities[i] = w[i] / total;
            acc += probabilities[i];
            cumulative[i] = acc;
        }
        cumulative[w.length - 1] = 1.0;
    }

    public double probability(int dataset) {
        return probabilities[dataset];
    }

    public int next(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i] && probabilities[i] > 0) {
                return i;
            }
        }
        for (int i = cumulative.length - 1; i >= 0; i--) {
            if (probabilities[i] > 0) {
                return i;
            }
        }
        throw new IllegalStateException("no dataset to draw");
    }
}
