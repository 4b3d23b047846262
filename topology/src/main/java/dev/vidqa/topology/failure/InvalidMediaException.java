package dev.vidqa.topology.failure;

/** The video cannot be used: not decodable, without a video stream, or over a limit. */
public class InvalidMediaException extends VidqaException {
    public InvalidMediaException(String message) {
        super(message, null);
    }

    public InvalidMediaException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.INVALID_MEDIA;
    }
}
