package dev.vidqa.answerer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Optimisation steps for an auxiliary loss ({@link LinearHeads} over some part of the model):
 * forward and backward, global-norm clipping, the scheduled learning rate, AdamW — as {@link Trainer}
 * does for the instruction loss.
 */
public final class HeadTrainer implements AutoCloseable {

    /** What one step did. */
    public record StepResult(long step, double loss, double lr, double gradNorm, double[] accuracy) {}

    private final Parameters params;
    private final AdamW optimizer;
    private final WarmupCosineSchedule schedule;
    private final double maxGradNorm;

    public HeadTrainer(Parameters params, AdamW optimizer, WarmupCosineSchedule schedule, double maxGradNorm) {
        this.params = params;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.maxGradNorm = maxGradNorm;
    }

    public long stepCount() {
        return optimizer.stepCount();
    }

    /** One step: {@code forward} builds the loss in the manager it is given (closed after the backward pass). */
    public StepResult step(Function<NDManager, LinearHeads.Value> forward) {
        long step = optimizer.stepCount();
        double value;
        double[] acc;
        NDArray first = params.list().get(0).value();
        try (NDManager m = NDManager.newBaseManager(first.getDevice());
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            LinearHeads.Value v = forward.apply(m);
            value = v.loss().getFloat();
            if (!Double.isFinite(value)) {
                throw new NonFiniteLossException(step, "auxiliary loss (" + value + ")");
            }
            gc.backward(v.loss());
            acc = v.accuracy();
        }
        List<NDArray> grads = new ArrayList<>();
        for (Parameters.Param p : params.list()) {
            grads.add(JniUtils.getGradient((PtNDArray) p.value()));
        }
        try {
            double norm = Trainer.globalNorm(grads);
            if (!Double.isFinite(norm)) {
                throw new NonFiniteLossException(step, "gradient norm (" + norm + ")");
            }
            double scale = maxGradNorm > 0 && norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1.0;
            double lr = schedule.at(step);
            optimizer.step(lr, scale, grads::get);
            return new StepResult(step, value, lr, norm, acc);
        } finally {
            for (int i = 0; i < grads.size(); i++) {
                if (grads.get(i) != null) {
                    grads.get(i).close();
                    JniUtils.zeroGrad((PtNDArray) params.list().get(i).value());
                }
            }
        }
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
