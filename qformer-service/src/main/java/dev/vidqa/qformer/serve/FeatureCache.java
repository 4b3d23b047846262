package dev.vidqa.qformer.serve;

import dev.vidqa.qformer.FrameFeatures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vision features by frame key, least recently used first out, bounded in bytes. Features depend
 * on the frame only, so every question about a frame reuses them. Not durable: after a restart
 * they are recomputed from the stored frames.
 */
public final class FeatureCache {
    private final long maxBytes;
    private final LinkedHashMap<String, FrameFeatures> map = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    public FeatureCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative");
        }
        this.maxBytes = maxBytes;
    }

    public synchronized FrameFeatures get(String key) {
        FrameFeatures f = map.get(key);
        (f == null ? misses : hits).increment();
        return f;
    }

    /** As {@link #get} without counting a hit or a miss (a second look by the same lookup). */
    public synchronized FrameFeatures peek(String key) {
        return map.get(key);
    }

    public synchronized void put(String key, FrameFeatures f) {
        if (f.bytes() > maxBytes) {
            return;
        }
        FrameFeatures old = map.put(key, f);
        bytes += f.bytes() - (old == null ? 0 : old.bytes());
        var it = map.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, FrameFeatures> e = it.next();
            bytes -= e.getValue().bytes();
            it.remove();
            evictions.increment();
        }
    }

    public synchronized int size() {
        return map.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long evictions() {
        return evictions.sum();
    }
}
