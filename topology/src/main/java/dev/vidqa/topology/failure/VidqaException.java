package dev.vidqa.topology.failure;

/** A failure whose kind is known where it is raised. */
public abstract class VidqaException extends RuntimeException {
    protected VidqaException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract FailureKind kind();
}
