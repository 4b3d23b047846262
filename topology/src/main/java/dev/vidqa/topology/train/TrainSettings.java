package dev.vidqa.topology.train;

import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.qformer.DeviceChoice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run is configured by, validated once. Defaults follow the paper's
 * instruction tuning (AdamW with weight decay 0.05, 1,000 warm-up steps from 1e-8, cosine decay).
 *
 * @param batch examples per optimisation step (the effective batch)
 * @param microBatch examples per forward/backward pass; {@code batch / microBatch} passes are accumulated
 */
public record TrainSettings(
        Path model, DeviceChoice device, TrainableParts parts,
        List<String> trainData, List<String> evalData, Path videos, Path out,
        long steps, int batch, int microBatch, double lr, long warmupSteps, double weightDecay, double maxGradNorm,
        long seed, SamplingSpec sampling, MixSampler.Mode mix, Map<String, Double> mixWeights, Path templates,
        int evalEvery, int evalLimit, int saveEvery, int keepCheckpoints, Path featureStore, boolean resume) {

    public static final double DEFAULT_WEIGHT_DECAY = 0.05;
    public static final long DEFAULT_WARMUP = 1000;

    public TrainSettings {
        if (model == null) {
            throw new IllegalArgumentException("--model is required");
        }
        if (trainData == null || trainData.isEmpty()) {
            throw new IllegalArgumentException("--train-data names no dataset");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        if (steps <= 0) {
            throw new IllegalArgumentException("--steps must be positive, got " + steps);
        }
        if (batch <= 0 || microBatch <= 0 || batch % microBatch != 0) {
            throw new IllegalArgumentException("--batch (" + batch + ") must be a positive multiple of --micro-batch ("
                    + microBatch + ")");
        }
        if (!(lr > 0) || !(weightDecay >= 0) || !(maxGradNorm >= 0) || warmupSteps < 0) {
            throw new IllegalArgumentException("--lr must be positive, --weight-decay, --max-grad-norm and --warmup"
                    + " not negative");
        }
        if (sampling.frames() <= 0) {
            throw new IllegalArgumentException("training needs a fixed number of frames per video (--frames)");
        }
        evalData = evalData == null ? List.of() : List.copyOf(evalData);
        mixWeights = mixWeights == null ? Map.of() : Map.copyOf(mixWeights);
        featureStore = featureStore != null ? featureStore : out.resolve("features");
    }

    /** Forward/backward passes per optimisation step. */
    public int accumulation() {
        return batch / microBatch;
    }
}
