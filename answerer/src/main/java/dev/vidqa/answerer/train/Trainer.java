package dev.vidqa.answerer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.qformer.nn.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimisation step at a time: forward and backward over the micro-batches of an effective
 * batch (gradient accumulation: each micro-batch's mean loss divided by their count, as Hugging
 * Face's Trainer does), global-norm clipping, the scheduled learning rate, AdamW.
 */
public final class Trainer implements AutoCloseable {

    /** What one step did. */
    public record StepResult(long step, double loss, double lr, double gradNorm, int examples, int tokens) {}

    private final InstructBlipVideo model;
    private final InstructionLoss loss;
    private final Parameters params;
    private final AdamW optimizer;
    private final WarmupCosineSchedule schedule;
    private final double maxGradNorm;

    public Trainer(InstructBlipVideo model, Parameters params, AdamW optimizer, WarmupCosineSchedule schedule,
                   double maxGradNorm) {
        this.model = model;
        this.loss = new InstructionLoss(model);
        this.params = params;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.maxGradNorm = maxGradNorm;
    }

    public InstructionLoss loss() {
        return loss;
    }

    public Parameters parameters() {
        return params;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Steps taken so far (the next step's 0-based index). */
    public long stepCount() {
        return optimizer.stepCount();
    }

    /** One optimisation step over {@code microBatches} (their union is the effective batch). */
    public StepResult step(List<TrainBatch> microBatches) {
        long step = optimizer.stepCount();
        double lossSum = 0;
        int examples = 0;
        int tokens = 0;
        for (TrainBatch b : microBatches) {
            try (NDManager m = NDManager.newBaseManager(model.weights().device());
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                InstructionLoss.Value v = forward(m, b);
                float value = v.loss().getFloat();
                if (!Float.isFinite(value)) {
                    throw new NonFiniteLossException(step, "loss (" + value + ") in micro-batch "
                            + (examples / Math.max(1, b.size())) + " of " + b.size() + " examples");
                }
                gc.backward(Scalars.div(v.loss(), microBatches.size()));
                lossSum += value;
                examples += b.size();
                tokens += v.tokens();
            }
        }
        List<NDArray> grads = gradients();
        try {
            double norm = globalNorm(grads);
            if (!Double.isFinite(norm)) {
                throw new NonFiniteLossException(step, "gradient norm (" + norm + ", first in "
                        + firstNonFinite(grads) + ")");
            }
            double scale = maxGradNorm > 0 && norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1.0;
            double lr = schedule.at(step);
            optimizer.step(lr, scale, grads::get);
            return new StepResult(step, lossSum / microBatches.size(), lr, norm, examples, tokens);
        } finally {
            // autograd adds to the gradients on every backward pass and DJL's collector never zeroes them
            for (int i = 0; i < grads.size(); i++) {
                if (grads.get(i) != null) {
                    grads.get(i).close();
                    JniUtils.zeroGrad((PtNDArray) params.list().get(i).value());
                }
            }
        }
    }

    /** The loss of one batch in the current graph (for tests and held-out loss; no update). */
    public InstructionLoss.Value forward(NDManager m, TrainBatch b) {
        if (b.features() != null) {
            return loss.fromFeatures(model.vision().stack(m, b.features()), b.examples(), b.framesPerVideo());
        }
        int s = model.imageSize();
        int t = b.framesPerVideo();
        float[] flat = new float[b.size() * t * 3 * s * s];
        int at = 0;
        for (float[][] video : b.pixels()) {
            if (video.length != t) {
                throw new IllegalArgumentException("videos in one batch must have the same number of frames");
            }
            for (float[] frame : video) {
                System.arraycopy(frame, 0, flat, at, frame.length);
                at += frame.length;
            }
        }
        return loss.fromPixels(m.create(flat, new Shape(b.size(), t, 3, s, s)), b.examples());
    }

    /** Each parameter's gradient, or null where the loss does not reach it (never backpropagated into). */
    public List<NDArray> gradients() {
        List<NDArray> out = new ArrayList<>();
        for (Parameters.Param p : params.list()) {
            out.add(gradientOrNull(p.value()));
        }
        return out;
    }

    /** DJL answers null for a gradient libtorch never defined (a weight the loss does not reach). */
    private static NDArray gradientOrNull(NDArray w) {
        return JniUtils.getGradient((PtNDArray) w);
    }


    private String firstNonFinite(List<NDArray> grads) {
        String largest = "none";
        double max = -1;
        for (int i = 0; i < grads.size(); i++) {
            NDArray g = grads.get(i);
            if (g != null) {
                try (NDArray bad = g.isNaN().logicalOr(g.isInfinite()); NDArray any = bad.any()) {
                    if (any.getBoolean()) {
                        return params.list().get(i).key();
                    }
                }
                try (NDArray a = g.abs(); NDArray mx = a.max()) {
                    double v = mx.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                    if (v > max) {
                        max = v;
                        largest = params.list().get(i).key() + " (max |g| " + v + ")";
                    }
                }
            }
        }
        return "none; largest gradient in " + largest;
    }

    static double globalNorm(List<NDArray> grads) {
        double sum = 0;
        for (NDArray g : grads) {
            if (g != null) {
                try (NDArray n = g.norm()) {
                    double v = n.toFloatArray()[0];
                    sum += v * v;
                }
            }
        }
        return Math.sqrt(sum);
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
