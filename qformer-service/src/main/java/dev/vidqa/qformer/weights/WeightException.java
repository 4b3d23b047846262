package dev.vidqa.qformer.weights;

/** A checkpoint that cannot be used as it is: missing, unexpected or misshapen weights, bad files. */
public class WeightException extends RuntimeException {
    public WeightException(String message) {
        super(message);
    }

    public WeightException(String message, Throwable cause) {
        super(message, cause);
    }
}
