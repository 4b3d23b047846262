package dev.vidqa.topology.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is known about a stream: the span of stream time its stored frames cover and its clips.
 * Small; kept in a changelogged store beside the frames.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamInfo(double firstStart, double latestEnd, long chunks, Map<String, Clip> clips, long lastChunkAt) {

    /** A clip's span of stream time and whether its last chunk has arrived. */
    public record Clip(double start, double end, boolean ended) {}

    public static StreamInfo empty() {
        return new StreamInfo(Double.MAX_VALUE, 0, 0, new LinkedHashMap<>(), 0);
    }

    /** As {@link #withChunk(double, double, String, boolean)}, noting when (wall clock, epoch ms) it arrived. */
    public StreamInfo withChunk(double start, double end, String clip, boolean clipEnded, long arrivedAt) {
        StreamInfo s = withChunk(start, end, clip, clipEnded);
        return new StreamInfo(s.firstStart, s.latestEnd, s.chunks, s.clips, arrivedAt);
    }

    /** The same info, its last chunk noted as arrived at {@code at} (state written before this field existed). */
    public StreamInfo touchedAt(long at) {
        return new StreamInfo(firstStart, latestEnd, chunks, clips, at);
    }

    public StreamInfo withChunk(double start, double end, String clip, boolean clipEnded) {
        Map<String, Clip> c = new LinkedHashMap<>(clips);
        if (clip != null) {
            Clip old = c.get(clip);
            c.put(clip, old == null ? new Clip(start, end, clipEnded)
                    : new Clip(Math.min(old.start(), start), Math.max(old.end(), end), old.ended() || clipEnded));
        }
        return new StreamInfo(Math.min(firstStart, start), Math.max(latestEnd, end), chunks + 1, c, lastChunkAt);
    }

    /** This info without clip {@code name} (being ingested again). */
    public StreamInfo withoutClip(String name) {
        Map<String, Clip> c = new LinkedHashMap<>(clips);
        c.remove(name);
        return new StreamInfo(firstStart, latestEnd, chunks, c, lastChunkAt);
    }

    /** Forgets clips that ended before {@code cutoff} (their frames were dropped). */
    public StreamInfo prune(double cutoff) {
        Map<String, Clip> c = new LinkedHashMap<>();
        clips.forEach((k, v) -> {
            if (v.end() >= cutoff) {
                c.put(k, v);
            }
        });
        return new StreamInfo(Math.max(firstStart, cutoff), latestEnd, chunks, c, lastChunkAt);
    }
}
