package dev.vidqa.topology.failure;

/** What vidqa runs on failed (Kafka, files, network); the request itself may be fine. */
public class InfrastructureException extends VidqaException {
    public InfrastructureException(String message) {
        super(message, null);
    }

    public InfrastructureException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.INFRASTRUCTURE;
    }
}
