package dev.vidqa.topology.failure;

/** The model failed: its checkpoint or configuration, or a failure while it ran. */
public class ModelException extends VidqaException {
    public ModelException(String message) {
        super(message, null);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.MODEL;
    }
}
