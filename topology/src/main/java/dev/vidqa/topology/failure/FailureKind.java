package dev.vidqa.topology.failure;

/**
 * Whose problem a failure is, which decides what the user is told to fix: the command line's exit
 * code, and the {@code errorKind} of an {@code error} answer.
 */
public enum FailureKind {
    /** the question, its options or the command's arguments: the caller can fix it */
    INVALID_REQUEST("invalid-request", 5),
    /** the video: not decodable, no video stream, over a limit */
    INVALID_MEDIA("invalid-media", 4),
    /** the model: its checkpoint, configuration or a failure while it ran */
    MODEL("model", 3),
    /** what vidqa runs on: Kafka, the file system, the network */
    INFRASTRUCTURE("infrastructure", 6),
    /** a defect in vidqa itself */
    INTERNAL("internal", 1);

    private final String word;
    private final int exitCode;

    FailureKind(String word, int exitCode) {
        this.word = word;
        this.exitCode = exitCode;
    }

    /** As it appears in answers and dead-letter headers. */
    public String word() {
        return word;
    }

    /** The command line's exit status. */
    public int exitCode() {
        return exitCode;
    }
}
