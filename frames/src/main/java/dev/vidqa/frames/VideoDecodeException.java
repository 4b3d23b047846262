package dev.vidqa.frames;

/** Input that cannot be turned into frames, with the reason as a type and a message that says where. */
public class VideoDecodeException extends Exception {

    /** What went wrong. */
    public enum Reason {
        /** the bytes are not any container FFmpeg recognises */
        PROBE_FAILED,
        /** a container without a (decodable) video stream */
        NO_VIDEO_STREAM,
        /** a configured limit (bytes, frames, pixels, time) was exceeded */
        LIMIT_EXCEEDED,
        /** the stream is corrupt or truncated: no decodable frame */
        CORRUPT,
        /** the source could not be read (missing file, refused connection) */
        UNREADABLE,
        /** the requested frames do not exist (empty selection) */
        NO_FRAMES
    }

    private final Reason reason;

    public VideoDecodeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VideoDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
