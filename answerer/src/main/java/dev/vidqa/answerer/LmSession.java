package dev.vidqa.answerer;

import ai.djl.ndarray.NDArray;

/**
 * The per-request state of a language model: its KV caches and positions. Rows are independent
 * sequences (videos, beams or candidates); {@link #select} reorders or duplicates them.
 */
public interface LmSession extends AutoCloseable {

    int rows();

    /** (rows, V) float32 logits for the next token of each row. */
    NDArray nextLogits();

    /** Feeds one token per row and advances; {@link #nextLogits()} then predicts the one after. */
    default void step(long[] tokens) {
        long[][] t = new long[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            t[i] = new long[] {tokens[i]};
        }
        feed(t).close();
    }

    /**
     * Feeds {@code n} tokens per row at once (teacher forcing) and returns (rows, n, V) logits, where
     * entry i predicts the token after {@code tokens[r][i]}. All rows must have n tokens (pad the
     * tail of shorter rows: later positions never influence earlier ones).
     */
    NDArray feed(long[][] tokens);

    /** Keeps {@code rows[i]} as the new row i (a row may be kept several times, e.g. for beams). */
    void select(int[] rows);

    /**
     * A new, independent session whose row i continues this session's row {@code rows[i]}; this
     * session is unchanged. Used to score many candidate answers from one prompt.
     */
    LmSession fork(int[] rows);

    /** Tokens fed so far (decoder tokens for encoder-decoder models, prompt included for decoder-only). */
    int length();

    @Override
    void close();
}
