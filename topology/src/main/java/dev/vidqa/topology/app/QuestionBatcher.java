package dev.vidqa.topology.app;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When ready questions go to the model. Like a producer's linger: while questions keep arriving,
 * ready ones wait a moment for a fuller batch (the language model answers 8 together in little more
 * than the time of one) — until the batch is full, the oldest has lingered
 * {@code vidqa.questions.batch-linger-ms}, or one of them is out of time. The engine then forms
 * the model batches (questions with the same options and frame count, up to max-batch each).
 */
final class QuestionBatcher {
    private final int maxBatch;
    private final long lingerMs;
    /** When each ready question was first found ready (transient: a restart only shortens a linger). */
    private final Map<String, Long> readySince = new HashMap<>();

    QuestionBatcher(VidqaConfig.Questions config) {
        this.maxBatch = config.maxBatch();
        this.lingerMs = config.batchLinger().toMillis();
    }

    /**
     * The questions now ready (by pending key) go to the model now: returns when each was first
     * found ready; null while they linger (they are to be looked at again on the next beat).
     */
    Map<String, Long> release(List<String> readyKeys, boolean overdue, long now) {
        long oldest = Long.MAX_VALUE;
        for (String k : readyKeys) {
            oldest = Math.min(oldest, readySince.computeIfAbsent(k, x -> now));
        }
        if (!overdue && readyKeys.size() < maxBatch && now - oldest < lingerMs) {
            return null;
        }
        Map<String, Long> since = new HashMap<>();
        readyKeys.forEach(k -> since.put(k, readySince.remove(k)));
        return since;
    }
}
