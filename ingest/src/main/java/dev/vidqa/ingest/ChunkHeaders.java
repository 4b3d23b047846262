package dev.vidqa.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The headers of a {@code vidqa.chunks} record; values are UTF-8 text. */
public final class ChunkHeaders {
    /** sequence number of the chunk within its stream, from 0 */
    public static final String SEQUENCE = "vidqa.seq";
    /** FFmpeg's short name of the chunk's container, e.g. {@code mpegts} */
    public static final String CONTAINER = "vidqa.container";
    /** start of the chunk in stream time, seconds */
    public static final String START = "vidqa.start";
    /** end of the chunk in stream time, seconds */
    public static final String END = "vidqa.end";
    /** producer wall clock when the chunk was cut, epoch milliseconds */
    public static final String WALL_CLOCK = "vidqa.wallclock";
    /** the clip (file) the chunk belongs to; questions may ask about a whole clip */
    public static final String CLIP = "vidqa.clip";
    /** "true" on the last chunk of a clip */
    public static final String CLIP_END = "vidqa.clip.end";

    private ChunkHeaders() {}

    public static void put(Headers headers, String key, Object value) {
        headers.remove(key);
        headers.add(key, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
    }

    /** The header's text, or null. */
    public static String get(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static void write(Headers headers, Chunk c) {
        put(headers, SEQUENCE, c.sequence());
        put(headers, CONTAINER, c.container());
        put(headers, START, c.start());
        put(headers, END, c.end());
        put(headers, WALL_CLOCK, c.wallClockMillis());
        if (c.clip() != null) {
            put(headers, CLIP, c.clip());
        }
        if (c.lastOfClip()) {
            put(headers, CLIP_END, "true");
        }
    }
}
