package dev.vidqa.topology.records;

import dev.vidqa.topology.failure.InvalidRequestException;

/** A question record that cannot be answered as it is; the message says why. */
public class InvalidQuestionException extends InvalidRequestException {
    public InvalidQuestionException(String message) {
        super(message);
    }

    public InvalidQuestionException(String message, Throwable cause) {
        super(message, cause);
    }
}
