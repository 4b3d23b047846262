package dev.vidqa.answerer.nn;

/** Token rows fed to a session: one row per sequence, all of the same length. */
public final class TokenRows {
    private TokenRows() {}

    /** Row-major copy of {@code tokens} (rows, n), checked against the session's row count. */
    public static long[] flatten(long[][] tokens, int sessionRows) {
        int rows = tokens.length;
        if (rows != sessionRows) {
            throw new IllegalArgumentException(rows + " rows of tokens for a session of " + sessionRows);
        }
        int n = tokens[0].length;
        long[] flat = new long[rows * n];
        for (int r = 0; r < rows; r++) {
            if (tokens[r].length != n) {
                throw new IllegalArgumentException("all rows must feed the same number of tokens");
            }
            System.arraycopy(tokens[r], 0, flat, r * n, n);
        }
        return flat;
    }
}
