package dev.vidqa.topology.live;

import dev.vidqa.topology.app.VideoQaProcessor;
import dev.vidqa.topology.app.WatchRunner;
import dev.vidqa.topology.app.WatchState;
import dev.vidqa.topology.records.WatchRecord;
import dev.vidqa.topology.store.FrameKeys;
import dev.vidqa.topology.store.StoredFrame;
import dev.vidqa.topology.store.StreamInfo;
import dev.vidqa.topology.store.StreamInfoStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads of this instance's state through interactive queries: the streams of its active tasks
 * (never a standby's copy, so no stream is shown by two instances), their newest frames and watch
 * states, and the watches (a global store: every instance has all of them). Throws Kafka Streams'
 * {@code InvalidStateStoreException} while the stores are not queryable (starting, rebalancing).
 */
public final class LocalState {
    private final KafkaStreams streams;

    public LocalState(KafkaStreams streams) {
        this.streams = streams;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    /** The streams this instance holds, by id, each with its watches' states. */
    public List<StreamView> streams(String host) {
        ReadOnlyKeyValueStore<String, byte[]> infos = store(VideoQaProcessor.STREAMS_STORE);
        ReadOnlyKeyValueStore<String, byte[]> frames = store(VideoQaProcessor.FRAMES_STORE);
        ReadOnlyKeyValueStore<String, byte[]> states = store(VideoQaProcessor.WATCH_STATE_STORE);
        List<StreamView> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = infos.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                StreamInfo info = StreamInfoStore.decode(kv.key, kv.value);
                KeyValue<String, byte[]> newest = newest(frames, kv.key);
                Double latest = newest == null ? null : StoredFrame.header(newest.value).time();
                out.add(new StreamView(kv.key, info.chunks() == 0 ? 0 : info.firstStart(), info.latestEnd(), info.chunks(),
                        info.lastChunkAt(), latest, watches(states, kv.key), host));
            }
        }
        return out;
    }

    private static List<StreamView.WatchView> watches(ReadOnlyKeyValueStore<String, byte[]> states, String streamId) {
        List<StreamView.WatchView> out = new ArrayList<>();
        // keyed stream NUL watch: one stream's states are one range
        try (KeyValueIterator<String, byte[]> it = states.range(FrameKeys.streamPrefixStart(streamId),
                FrameKeys.streamPrefixEnd(streamId))) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                WatchState s = WatchState.decode(kv.key, kv.value);
                out.add(new StreamView.WatchView(FrameKeys.pendingQuestion(kv.key), s.open(), s.hits(), s.misses(),
                        s.lastDue() < 0 ? null : s.lastDue(), s.open() ? s.runFrom() : null));
            }
        }
        return out;
    }

    /** The newest stored frame of a stream held here, or null (none stored, or not held here). */
    public StoredFrame latestFrame(String streamId) {
        KeyValue<String, byte[]> kv = newest(store(VideoQaProcessor.FRAMES_STORE), streamId);
        return kv == null ? null : StoredFrame.decode(kv.value);
    }

    private static KeyValue<String, byte[]> newest(ReadOnlyKeyValueStore<String, byte[]> frames, String streamId) {
        // frame keys sort by stream, then time: the newest is the first of the reversed range
        try (KeyValueIterator<String, byte[]> it = frames.reverseRange(FrameKeys.streamPrefixStart(streamId),
                FrameKeys.streamPrefixEnd(streamId))) {
            return it.hasNext() ? it.next() : null;
        }
    }

    /** Every watch that can run (the global store; one that cannot is skipped, as the application skips it). */
    public List<WatchRecord> watches() {
        List<WatchRecord> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = this.<byte[]>store(VideoQaProcessor.WATCHES_STORE).all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                WatchRecord w = WatchRunner.decode(kv.key, kv.value);
                if (w != null) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
