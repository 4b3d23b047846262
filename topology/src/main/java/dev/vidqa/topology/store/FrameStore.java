package dev.vidqa.topology.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The frames of every stream of a task, at the model's input size, keyed by stream and time
 * ({@link FrameKeys}) so that a window is one range read.
 */
public final class FrameStore {
    private final KeyValueStore<String, byte[]> store;

    public FrameStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** A stored frame's key, time and feature-cache key (key and content); its pixels stay in the store. */
    public record Entry(String key, double time, String featureKey) {}

    public void put(StoredFrame f) {
        store.put(f.key(), f.encode());
    }

    /**
     * The frames of {@code [from, to)} of a stream (of one clip when {@code clip} is not null),
     * in time order, without their pixels (a long clip holds hundreds of them).
     */
    public List<Entry> window(String streamId, double from, double to, String clip) {
        List<Entry> out = new ArrayList<>();
        // windows are half-open: a frame at `to` belongs to what comes next
        try (KeyValueIterator<String, byte[]> it = store.range(FrameKeys.from(streamId, from),
                FrameKeys.to(streamId, to - 1e-6))) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                StoredFrame.Header h = StoredFrame.header(kv.value);
                if (clip == null || clip.equals(h.clip())) {
                    out.add(new Entry(kv.key, h.time(), h.featureKey(kv.key)));
                }
            }
        }
        return out;
    }

    /** The pixels of a stored frame (read only on a feature-cache miss). */
    public byte[] rgb(Entry e) {
        return StoredFrame.decode(store.get(e.key())).rgb();
    }

    /** Deletes every frame of a stream. */
    public void forget(String streamId) {
        delete(FrameKeys.streamPrefixStart(streamId), FrameKeys.streamPrefixEnd(streamId));
    }

    /** Deletes a stream's frames before {@code cutoff} seconds. */
    public void forgetBefore(String streamId, double cutoff) {
        delete(FrameKeys.streamPrefixStart(streamId), FrameKeys.to(streamId, cutoff - 1e-6));
    }

    private void delete(String from, String to) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(from, to)) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
    }
}
