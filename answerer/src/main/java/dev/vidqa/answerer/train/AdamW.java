package dev.vidqa.answerer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AdamW as PyTorch's {@code torch.optim.AdamW} (decoupled weight decay, bias-corrected moments):
 * <pre>
 *   p  <- p * (1 - lr * wd)            (only tensors with decay)
 *   m  <- b1 m + (1 - b1) g
 *   v  <- b2 v + (1 - b2) g^2
 *   p  <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * Updates run with autograd off and in place, so the model's own arrays change. The moments live in
 * a manager of the optimiser's own, never in the model's.
 */
public final class AdamW implements AutoCloseable {
    private final Parameters params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final List<NDArray> expAvg = new ArrayList<>();
    private final List<NDArray> expAvgSq = new ArrayList<>();
    private long step;

    public AdamW(Parameters params, double beta1, double beta2, double eps, double weightDecay) {
        this.params = params;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        NDArray first = params.list().get(0).value();
        this.manager = NDManager.newBaseManager(first.getDevice());
        for (Parameters.Param p : params.list()) {
            expAvg.add(manager.zeros(p.value().getShape(), p.value().getDataType()));
            expAvgSq.add(manager.zeros(p.value().getShape(), p.value().getDataType()));
        }
    }

    /** The paper's settings: betas (0.9, 0.999), eps 1e-8, the given weight decay (0.05 in the paper). */
    public static AdamW paper(Parameters params, double weightDecay) {
        return new AdamW(params, 0.9, 0.999, 1e-8, weightDecay);
    }

    /**
     * One update with learning rate {@code lr} from the gradients each parameter holds, scaled by
     * {@code gradScale} (clipping). A parameter that got no gradient this step (a block the loss does
     * not reach) is only decayed, as PyTorch does for a zero gradient.
     */
    public void step(double lr, double gradScale, Gradients grads) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<Parameters.Param> list = params.list();
            for (int i = 0; i < list.size(); i++) {
                Parameters.Param p = list.get(i);
                NDArray w = p.value();
                if (p.decay() && weightDecay != 0) {
                    w.muli(1 - lr * weightDecay);
                }
                NDArray g = grads.of(i);
                NDArray m = expAvg.get(i);
                NDArray v = expAvgSq.get(i);
                if (g == null) {
                    m.muli(beta1);
                    v.muli(beta2);
                } else {
                    NDArray gs = gradScale == 1.0 ? g : g.mul(gradScale);
                    m.muli(beta1).addi(gs.mul(1 - beta1));
                    v.muli(beta2).addi(gs.mul(gs).muli(1 - beta2));
                }
                NDArray denom = v.div(bc2).sqrt().addi(eps);
                w.subi(m.div(denom).muli(lr / bc1));
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    public long stepCount() {
        return step;
    }

    /** The moments by parameter key ({@code exp_avg.KEY}, {@code exp_avg_sq.KEY}), for saving. */
    public void forEachState(java.util.function.BiConsumer<String, NDArray> sink) {
        List<Parameters.Param> list = params.list();
        for (int i = 0; i < list.size(); i++) {
            sink.accept("exp_avg." + list.get(i).key(), expAvg.get(i));
            sink.accept("exp_avg_sq." + list.get(i).key(), expAvgSq.get(i));
        }
    }

    /** Restores the moments and the step count saved by {@link #forEachState}. */
    public void restore(long stepCount, Map<String, float[]> state) {
        List<Parameters.Param> list = params.list();
        for (int i = 0; i < list.size(); i++) {
            String key = list.get(i).key();
            copyInto(expAvg.get(i), state.get("exp_avg." + key), key);
            copyInto(expAvgSq.get(i), state.get("exp_avg_sq." + key), key);
        }
        this.step = stepCount;
    }

    private static void copyInto(NDArray target, float[] values, String key) {
        if (values == null || values.length != target.getShape().size()) {
            throw new IllegalArgumentException("optimiser state for '" + key + "' is missing or of the wrong size"
                    + " (a checkpoint of another model or --train setting?)");
        }
        // added into the zeros the moments start from, so they stay in torch-owned memory: NDArray.set(Buffer)
        // would point the tensor at a Java buffer that the garbage collector may free
        try (NDManager tmp = NDManager.newBaseManager(target.getDevice())) {
            target.addi(tmp.create(values, target.getShape()));
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Gradients by parameter index; null where a parameter received none. */
    public interface Gradients {
        NDArray of(int index);
    }
}
