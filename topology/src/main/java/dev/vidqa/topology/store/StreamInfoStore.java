package dev.vidqa.topology.store;

import dev.vidqa.topology.records.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** What is known of each stream of a task ({@link StreamInfo}: its span, clips, last chunk), by stream id. */
public final class StreamInfoStore {
    private final KeyValueStore<String, byte[]> store;

    public StreamInfoStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** The stream's info, or null when nothing of it arrived (or it was forgotten). */
    public StreamInfo get(String streamId) {
        byte[] b = store.get(streamId);
        return b == null ? null : decode(streamId, b);
    }

    /** A stored value of the streams store (also read through interactive queries by the live page). */
    public static StreamInfo decode(String streamId, byte[] b) {
        try {
            return Json.STATE.readValue(b, StreamInfo.class);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt stream info for " + streamId, e);
        }
    }

    public void put(String streamId, StreamInfo info) {
        store.put(streamId, Json.write(info));
    }

    public void delete(String streamId) {
        store.delete(streamId);
    }

    /** Every stream with its info. */
    public List<KeyValue<String, StreamInfo>> all() {
        List<KeyValue<String, StreamInfo>> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> out.add(KeyValue.pair(kv.key, decode(kv.key, kv.value))));
        }
        return out;
    }
}
