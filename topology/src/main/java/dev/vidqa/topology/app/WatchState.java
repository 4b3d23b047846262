package dev.vidqa.topology.app;

import dev.vidqa.topology.records.IncidentRecord;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.WatchRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one watch knows of one stream (the {@code vidqa-watch-state} store, key stream id and watch id):
 * the last evaluation time scheduled, the current run of answers that fired or not, and the open
 * incident with its evidence. Pure: every change returns a new state.
 *
 * @param lastDue stream time of the last evaluation scheduled (-1: none yet)
 * @param pendingKey the pending store key of the evaluation not answered yet (null: none)
 */
public record WatchState(double lastDue, String pendingKey, int hits, int misses, boolean open, double runFrom,
                         double lastFired, List<String> answers, List<List<Double>> frames) {

    /** A stored state (key: stream NUL watch id, for the error). */
    public static WatchState decode(String key, byte[] b) {
        try {
            return Json.STATE.readValue(b, WatchState.class);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt watch state " + key.replace('\u0000', '/'), e);
        }
    }

    public static WatchState initial() {
        return new WatchState(-1, null, 0, 0, false, 0, 0, List.of(), List.of());
    }

    /**
     * The evaluation due now, if any: the newest multiple of {@code every} the stream has passed.
     * Older ones never evaluated are skipped in favour of it (a watch behind live does not queue).
     */
    record Due(double time, int skipped) {}

    Due due(double every, double latestEnd) {
        double t = Math.floor(latestEnd / every + 1e-9) * every;
        if (t <= lastDue + 1e-9 || t <= 0) {
            return null;
        }
        int skipped = lastDue < 0 ? 0 : (int) Math.max(0, Math.round((t - lastDue) / every) - 1);
        return new Due(t, skipped);
    }

    WatchState scheduled(double t, String key) {
        return new WatchState(t, key, hits, misses, open, runFrom, lastFired, answers, frames);
    }

    /** The state after an evaluation at {@code t}; {@code incident} is what to publish, if anything. */
    record Step(WatchState state, IncidentRecord incident) {}

    Step evaluated(WatchRecord w, String streamId, double t, String answer, List<Double> frameTimes, long now) {
        boolean fired = answer != null && w.trigger().fires(answer);
        if (fired) {
            boolean newRun = hits == 0 && !open;
            List<String> a = newRun ? new ArrayList<>() : new ArrayList<>(answers);
            List<List<Double>> f = newRun ? new ArrayList<>() : new ArrayList<>(frames);
            if (a.size() < IncidentRecord.MAX_EVIDENCE) {
                a.add(answer);
                f.add(frameTimes == null ? List.of() : List.copyOf(frameTimes));
            }
            WatchState next = new WatchState(lastDue, null, hits + 1, 0, open, newRun ? t : runFrom, t, a, f);
            if (!open && next.hits() >= w.openAfter()) {
                next = new WatchState(lastDue, null, next.hits(), 0, true, next.runFrom(), t, a, f);
                return new Step(next, next.incident(w, streamId, IncidentRecord.OPEN, now));
            }
            return new Step(next, null);
        }
        WatchState next = new WatchState(lastDue, null, 0, misses + 1, open, runFrom, lastFired, open ? answers : List.of(),
                open ? frames : List.of());
        if (open && next.misses() >= w.closeAfter()) {
            return new Step(next.closed(), next.incident(w, streamId, IncidentRecord.CLOSED, now));
        }
        return new Step(next, null);
    }

    /** The stream ended (or was forgotten): an open incident closes. */
    Step ended(WatchRecord w, String streamId, long now) {
        return open ? new Step(closed(), incident(w, streamId, IncidentRecord.CLOSED, now)) : new Step(this, null);
    }

    private WatchState closed() {
        return new WatchState(lastDue, pendingKey, 0, 0, false, 0, 0, List.of(), List.of());
    }

    private IncidentRecord incident(WatchRecord w, String streamId, String state, long now) {
        return new IncidentRecord(w.id(), streamId, w.question(), state, runFrom,
                IncidentRecord.CLOSED.equals(state) ? lastFired : null, answers, frames, Instant.ofEpochMilli(now).toString());
    }
}
