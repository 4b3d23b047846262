package dev.vidqa.topology.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stream-thread failures in a sliding window. Kafka Streams replaces a failed thread, which then
 * reads the same record again: a record that kills its thread every time loops for ever while
 * the application still looks RUNNING. {@code threshold} failures within {@code window} make the
 * application unhealthy (so {@code /health} says 503 with the reason) until the window passes
 * without them.
 */
final class ThreadFailures {
    private final int threshold;
    private final Duration window;
    private final Deque<Long> times = new ArrayDeque<>();
    private String last;

    ThreadFailures(int threshold, Duration window) {
        if (threshold < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("threshold and window must be positive");
        }
        this.threshold = threshold;
        this.window = window;
    }

    synchronized void record(Throwable e, long nowMs) {
        times.addLast(nowMs);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        last = root.getClass().getSimpleName() + ": " + (m.length() > 300 ? m.substring(0, 300) + "..." : m);
        prune(nowMs);
    }

    /** Null while healthy; otherwise why not. */
    synchronized String unhealthyReason(long nowMs) {
        prune(nowMs);
        if (times.size() < threshold) {
            return null;
        }
        return "stream threads failed " + times.size() + " times in the last " + window.toSeconds() + " s (last: " + last
                + ")";
    }

    private void prune(long nowMs) {
        while (!times.isEmpty() && nowMs - times.peekFirst() > window.toMillis()) {
            times.removeFirst();
        }
    }
}
