package dev.vidqa.answerer;

/** A prompt that does not fit the language model's input limit. */
public class PromptTooLongException extends IllegalArgumentException {
    private final int tokens;
    private final int limit;

    public PromptTooLongException(int tokens, int limit, String what) {
        super(what + " has " + tokens + " tokens; the limit is " + limit);
        this.tokens = tokens;
        this.limit = limit;
    }

    public int tokens() {
        return tokens;
    }

    public int limit() {
        return limit;
    }
}
