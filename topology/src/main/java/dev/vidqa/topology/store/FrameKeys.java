package dev.vidqa.topology.store;

/**
 * Store keys that sort by stream, then by time, so that a stream's frames in a span of time are
 * one range scan: {@code streamId NUL zero-padded-microseconds}.
 */
public final class FrameKeys {
    private static final char SEP = '\u0000';

    private FrameKeys() {}

    public static String frame(String streamId, double seconds) {
        long micros = Math.max(0, Math.round(seconds * 1e6));
        return streamId + SEP + String.format("%016d", micros);
    }

    /** First key of {@code streamId} at or after {@code seconds}. */
    public static String from(String streamId, double seconds) {
        return frame(streamId, seconds);
    }

    /** Last possible key of {@code streamId} at or before {@code seconds}. */
    public static String to(String streamId, double seconds) {
        return frame(streamId, seconds);
    }

    /** Keys of pending questions: by stream, then question id. */
    public static String pending(String streamId, String questionId) {
        return streamId + SEP + questionId;
    }

    /** The stream of a {@link #pending} key. */
    public static String pendingStream(String key) {
        int sep = key.indexOf(SEP);
        return sep < 0 ? key : key.substring(0, sep);
    }

    /** The question id of a {@link #pending} key. */
    public static String pendingQuestion(String key) {
        int sep = key.indexOf(SEP);
        return sep < 0 ? key : key.substring(sep + 1);
    }

    public static String streamPrefixStart(String streamId) {
        return streamId + SEP;
    }

    public static String streamPrefixEnd(String streamId) {
        return streamId + (char) (SEP + 1);
    }
}
