package dev.vidqa.answerer.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.answerer.LmSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** An {@link LmSession} whose next-token logits are a function of each row's tokens so far. */
final class ScriptedSession implements LmSession {
    private final NDManager manager = NDManager.newBaseManager();
    private final Function<long[], float[]> model;
    private List<long[]> rows = new ArrayList<>();
    int feeds;

    ScriptedSession(int rows, Function<long[], float[]> model) {
        this.model = model;
        for (int i = 0; i < rows; i++) {
            this.rows.add(new long[0]);
        }
    }

    @Override
    public int rows() {
        return rows.size();
    }

    @Override
    public NDArray nextLogits() {
        int v = model.apply(rows.get(0)).length;
        float[] flat = new float[rows.size() * v];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(model.apply(rows.get(r)), 0, flat, r * v, v);
        }
        return manager.create(flat, new Shape(rows.size(), v));
    }

    @Override
    public NDArray feed(long[][] tokens) {
        feeds++;
        for (int r = 0; r < tokens.length; r++) {
            long[] t = rows.get(r);
            long[] n = Arrays.copyOf(t, t.length + tokens[r].length);
            System.arraycopy(tokens[r], 0, n, t.length, tokens[r].length);
            rows.set(r, n);
        }
        return manager.zeros(new Shape(1));
    }

    @Override
    public void select(int[] keep) {
        List<long[]> next = new ArrayList<>();
        for (int k : keep) {
            next.add(rows.get(k).clone());
        }
        rows = next;
    }

    @Override
    public LmSession fork(int[] keep) {
        ScriptedSession s = new ScriptedSession(0, model);
        for (int k : keep) {
            s.rows.add(rows.get(k).clone());
        }
        return s;
    }

    @Override
    public int length() {
        return rows.isEmpty() ? 0 : rows.get(0).length;
    }

    @Override
    public void close() {
        manager.close();
    }
}
