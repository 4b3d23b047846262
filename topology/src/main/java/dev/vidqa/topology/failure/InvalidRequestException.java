package dev.vidqa.topology.failure;

/** The request cannot be answered as it is (a question, its options, an argument); the message says why. */
public class InvalidRequestException extends VidqaException {
    public InvalidRequestException(String message) {
        super(message, null);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.INVALID_REQUEST;
    }
}
