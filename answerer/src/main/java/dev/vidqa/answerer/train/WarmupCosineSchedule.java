package dev.vidqa.answerer.train;

/**
 * LAVIS' learning-rate schedule for instruction tuning: linear warm-up from {@code warmupStart}
 * (1e-8) to the peak over the first {@code warmupSteps} steps, then cosine decay to {@code minLr}
 * (0) at {@code totalSteps}.
 */
public record WarmupCosineSchedule(double peak, double warmupStart, long warmupSteps, long totalSteps, double minLr) {
    public WarmupCosineSchedule {
        if (!(peak > 0) || warmupStart < 0 || minLr < 0) {
            throw new IllegalArgumentException("learning rates must be positive (peak " + peak + ")");
        }
        if (warmupSteps < 0 || totalSteps <= 0) {
            throw new IllegalArgumentException("steps must be positive (warm-up " + warmupSteps + ", total "
                    + totalSteps + ")");
        }
    }

    public static WarmupCosineSchedule paper(double peak, long warmupSteps, long totalSteps) {
        return new WarmupCosineSchedule(peak, 1e-8, warmupSteps, totalSteps, 0);
    }

    /** The learning rate of step {@code step} (0-based: the first update uses step 0). */
    public double at(long step) {
        if (step < warmupSteps) {
            return warmupStart + (peak - warmupStart) * step / warmupSteps;
        }
        long decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return minLr + 0.5 * (peak - minLr) * (1 + Math.cos(Math.PI * progress));
    }
}
