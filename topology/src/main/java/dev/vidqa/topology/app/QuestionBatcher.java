package dev.vidqa.topology.app;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When ready questions go to the model. Like a producer's linger: while questions keep arriving,
 * ready ones wait a moment for a fuller batch (the language model answers 8 together in little more
 * than the time of one) — until the batch is full, the oldest has lingered
 * {@code vidqa.questions.batch-linger-ms}, or one of them is out of time. Of more than a batch,
 * whole batches go (the longest-ready first) and the rest lingers on: 20 ready make two batches
 * of 8 now and leave 4 to be joined by the next arrivals, not a third batch of 4 — a batch of 4
 * costs nearly what one of 8 does. The engine then forms the model batches (questions with the
 * same options and frame count, up to max-batch each).
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
     * The questions now ready (by pending key) that go to the model now, with when each was first
     * found ready; null while they all linger (the others are to be looked at again on the next beat).
     */
    Map<String, Long> release(List<String> readyKeys, boolean overdue, long now) {
        long oldest = Long.MAX_VALUE;
        for (String k : readyKeys) {
            oldest = Math.min(oldest, readySince.computeIfAbsent(k, x -> now));
        }
        boolean waitedEnough = overdue || now - oldest >= lingerMs;
        if (!waitedEnough && readyKeys.size() < maxBatch) {
            return null;
        }
        List<String> going = readyKeys;
        if (!waitedEnough && readyKeys.size() % maxBatch != 0) {
            going = new java.util.ArrayList<>(readyKeys);
            going.sort(java.util.Comparator.comparingLong(readySince::get)); // stable: arrival order among equals
            going = going.subList(0, readyKeys.size() / maxBatch * maxBatch);
        }
        Map<String, Long> since = new java.util.LinkedHashMap<>();
        going.forEach(k -> since.put(k, readySince.remove(k)));
        return since;
    }
}
