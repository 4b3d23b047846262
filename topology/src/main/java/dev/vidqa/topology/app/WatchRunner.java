package dev.vidqa.topology.app;

import dev.vidqa.topology.records.IncidentRecord;
import dev.vidqa.topology.records.InvalidQuestionException;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.WatchRecord;
import dev.vidqa.topology.records.Window;
import dev.vidqa.topology.store.FrameKeys;
import dev.vidqa.topology.store.StreamInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standing questions on stream time. When a chunk moves a stream's time past the next multiple of a
 * matching watch's {@code every}, the watch's question is parked as a pending question over the
 * window ending there, and answered like any other; its answer moves the watch's state for that
 * stream ({@link WatchState}), which opens and closes incidents. A replayed clip gives the same
 * evaluations and incidents every time; a watch behind live skips to the newest window.
 */
public final class WatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(WatchRunner.class);

    private final KeyValueStore<String, byte[]> watches;
    private final KeyValueStore<String, byte[]> states;
    private final KeyValueStore<String, byte[]> pending;
    private final VidqaConfig.Questions config;
    private final VidqaMetrics metrics;

    WatchRunner(KeyValueStore<String, byte[]> watches, KeyValueStore<String, byte[]> states,
                KeyValueStore<String, byte[]> pending, VidqaConfig.Questions config, VidqaMetrics metrics) {
        this.watches = watches;
        this.states = states;
        this.pending = pending;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The evaluations a chunk of {@code streamId} makes due, parked; returns their pending keys. A
     * chunk stored more than {@code vidqa.watches.max-lag-seconds} behind live ({@code lagMillis}, null
     * when the chunk does not say when it was cut) parks none: its due evaluations are skipped, so a
     * backlog in the chunks topic drains at decode speed instead of at the model's.
     */
    List<String> onChunk(String streamId, StreamInfo info, long recordTimestamp, long now, Long lagMillis) {
        boolean behind = lagMillis != null && lagMillis > config.watchMaxLag().toMillis();
        List<String> keys = new ArrayList<>();
        for (WatchRecord w : watches()) {
            if (!w.matches(streamId)) {
                continue;
            }
            String sk = FrameKeys.pending(streamId, w.id()); // keyed by stream first: a stream's states are one range
            WatchState s = state(sk);
            WatchState.Due due = s.due(w.everySeconds(), info.latestEnd());
            if (due == null) {
                continue;
            }
            int skipped = due.skipped();
            if (s.pendingKey() != null && pending.get(s.pendingKey()) != null) {
                pending.delete(s.pendingKey()); // still unanswered: the newest window replaces it
                skipped++;
            }
            double t = due.time();
            if (behind) {
                metrics.watchEvaluationsSkipped(skipped + 1);
                states.put(sk, Json.write(s.scheduled(t, null)));
                continue;
            }
            metrics.watchEvaluationsSkipped(skipped);
            String id = String.format(Locale.ROOT, "watch/%s/%s/%.3f", w.id(), streamId, t);
            QuestionRecord q = new QuestionRecord(id, streamId, w.question(),
                    Window.range(Math.max(0, t - w.windowSeconds()), t), w.candidates(), w.options());
            PendingQuestion pq = new PendingQuestion(q, streamId, recordTimestamp, now + config.frameWait().toMillis(),
                    new PendingQuestion.WatchEval(w.id(), t));
            String pk = FrameKeys.pending(streamId, id);
            pending.put(pk, Json.write(pq));
            states.put(sk, Json.write(s.scheduled(t, pk)));
            keys.add(pk);
        }
        return keys;
    }

    /** A watch's evaluation was answered ({@code answer} null: no frames); the incident to publish, if any. */
    IncidentRecord evaluated(PendingQuestion pq, String answer, List<Double> frames, long now) {
        WatchRecord w = watch(pq.watch().watchId());
        String sk = FrameKeys.pending(pq.streamId(), pq.watch().watchId());
        if (w == null) { // the watch was removed meanwhile: an open incident closes
            WatchState.Step step = state(sk).ended(removed(pq.watch().watchId()), pq.streamId(), now);
            states.delete(sk);
            return step.incident();
        }
        metrics.watchEvaluated();
        WatchState.Step step = state(sk).evaluated(w, pq.streamId(), pq.watch().time(), answer, frames, now);
        states.put(sk, Json.write(step.state()));
        return step.incident();
    }

    /** A stream was forgotten: its open incidents close. */
    List<IncidentRecord> streamEnded(String streamId, long now) {
        List<IncidentRecord> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = states.range(FrameKeys.streamPrefixStart(streamId),
                FrameKeys.streamPrefixEnd(streamId))) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        for (String key : keys) {
            String id = FrameKeys.pendingQuestion(key);
            WatchRecord w = watch(id);
            WatchState.Step step = state(key).ended(w != null ? w : removed(id), streamId, now);
            if (step.incident() != null) {
                out.add(step.incident());
            }
            states.delete(key);
        }
        return out;
    }

    /** What is left to say of a removed watch: its id (an incident that closes names it). */
    private static WatchRecord removed(String id) {
        return new WatchRecord(id, null, null, null, null, null, null, null, null, null, null);
    }

    private List<WatchRecord> watches() {
        List<WatchRecord> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = watches.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                WatchRecord w = decode(kv.key, kv.value);
                if (w != null) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    private WatchRecord watch(String id) {
        byte[] b = watches.get(id);
        return b == null ? null : decode(id, b);
    }

    /** A watch that cannot run is skipped (the store keeps what the topic says; `vidqa watch add` checks first). */
    public static WatchRecord decode(String key, byte[] value) {
        try {
            WatchRecord w = Json.MAPPER.readValue(value, WatchRecord.class);
            w.validate();
            if (!w.id().equals(key)) {
                throw new InvalidQuestionException("watch id '" + w.id() + "' differs from its record key '" + key + "'");
            }
            return w;
        } catch (IOException | InvalidQuestionException e) {
            LOG.warn("watch {} cannot run: {}", key, e.getMessage());
            return null;
        }
    }

    private WatchState state(String key) {
        byte[] b = states.get(key);
        return b == null ? WatchState.initial() : WatchState.decode(key, b);
    }
}
