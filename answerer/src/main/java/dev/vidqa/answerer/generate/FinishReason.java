package dev.vidqa.answerer.generate;

/** Why an answer ended. */
public enum FinishReason {
    /** the end-of-sequence token */
    EOS,
    /** one of the extra stop token ids */
    STOP_TOKEN,
    /** one of the stop strings appeared */
    STOP_STRING,
    /** {@code maxNewTokens} reached */
    LENGTH
}
