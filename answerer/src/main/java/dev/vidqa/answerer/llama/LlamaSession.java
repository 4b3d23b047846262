package dev.vidqa.answerer.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.answerer.LmSession;
import dev.vidqa.answerer.nn.AttentionMasks;
import dev.vidqa.answerer.nn.KvCache;
import dev.vidqa.answerer.nn.TokenRows;
import java.util.Arrays;
import java.util.List;

/**
 * One LLaMA request. Rows of different prompt lengths are left-padded: padding keys are masked
 * and positions count real tokens only ({@code cumsum(mask) - 1}), so a row computes exactly what
 * it would alone.
 */
final class LlamaSession implements LmSession {
    private final LlamaForCausalLM lm;
    private final NDManager manager;
    private final KvCache cache;
    private boolean[][] valid; // [row][key position]
    private int length; // keys so far, padding included
    private long[] nextPosition; // per row
    private NDArray next;
    /** Logits at every prefill position (rows, P+L, V), kept only when asked for. */
    private NDArray prefillLogits;

    LlamaSession(LlamaForCausalLM lm, NDManager parent, NDArray softPrompts, List<long[]> promptIds,
                 boolean keepAllLogits) {
        this.lm = lm;
        this.manager = parent.newSubManager();
        this.cache = new KvCache(lm.model().numLayers());
        int rows = promptIds.size();
        int p = (int) softPrompts.getShape().get(1);
        int maxLen = p + promptIds.stream().mapToInt(a -> a.length).max().orElse(0);
        valid = new boolean[rows][maxLen];
        nextPosition = new long[rows];
        long[] positions = new long[rows * maxLen];
        NDArray logits;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // an alias owned by this session, so every array derived from it is too
            NDArray prompts = softPrompts.toDevice(manager.getDevice(), true);
            prompts.attach(manager);
            NDList rowEmbeds = new NDList();
            for (int b = 0; b < rows; b++) {
                long[] ids = promptIds.get(b);
                int pad = maxLen - p - ids.length;
                // [padding ; soft prompt ; prompt], padding on the left so every row ends together
                NDList pieces = new NDList();
                if (pad > 0) {
                    pieces.add(manager.zeros(new Shape(pad, lm.hiddenSize()), prompts.getDataType()));
                }
                pieces.add(prompts.get(b));
                if (ids.length > 0) {
                    pieces.add(lm.model().embed(manager.create(ids)));
                }
                rowEmbeds.add(NDArrays.concat(pieces, 0));
                for (int j = 0; j < maxLen; j++) {
                    valid[b][j] = j >= pad;
                    positions[b * maxLen + j] = j >= pad ? j - pad : 1;
                }
                nextPosition[b] = maxLen - pad;
            }
            NDArray embeds = NDArrays.stack(rowEmbeds, 0);
            NDArray bias = AttentionMasks.causal(manager, rows, 0, maxLen, valid);
            NDArray hidden = lm.model().forward(embeds, manager.create(positions, new Shape(rows, maxLen)), bias, cache);
            // the vocabulary projection is the most expensive step per position: only the last one is needed
            logits = lm.head(keepAllLogits ? hidden : hidden.get(":, -1:, :"));
            NDScope.unregister(logits);
        }
        length = maxLen;
        next = logits.get(":, -1, :");
        if (keepAllLogits) {
            prefillLogits = logits;
        } else {
            logits.close();
        }
    }

    private LlamaSession(LlamaSession from, int[] rows) {
        this.lm = from.lm;
        this.manager = from.manager.getParentManager().newSubManager();
        this.cache = new KvCache(lm.model().numLayers());
        NDArray index = manager.create(Arrays.stream(rows).mapToLong(i -> i).toArray());
        for (int l = 0; l < lm.model().numLayers(); l++) {
            cache.put(l, own(from.cache.keys(l).get(index)), own(from.cache.values(l).get(index)));
        }
        this.next = own(from.next.get(index));
        this.valid = new boolean[rows.length][];
        this.nextPosition = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            valid[i] = from.valid[rows[i]].clone();
            nextPosition[i] = from.nextPosition[rows[i]];
        }
        this.length = from.length;
    }

    private NDArray own(NDArray a) {
        a.attach(manager);
        return a;
    }

    /** (rows, P+L, V) logits of every prefill position; null unless the session was opened to keep them. */
    NDArray prefillLogits() {
        return prefillLogits;
    }

    @Override
    public LmSession fork(int[] rows) {
        return new LlamaSession(this, rows);
    }

    @Override
    public int rows() {
        return valid.length;
    }

    @Override
    public NDArray nextLogits() {
        return next;
    }

    @Override
    public NDArray feed(long[][] tokens) {
        int rows = tokens.length;
        int n = tokens[0].length;
        long[] flat = TokenRows.flatten(tokens, valid.length);
        long[] positions = new long[rows * n];
        boolean[][] grown = new boolean[rows][length + n];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(valid[r], 0, grown[r], 0, length);
            for (int i = 0; i < n; i++) {
                grown[r][length + i] = true;
                positions[r * n + i] = nextPosition[r] + i;
            }
        }
        NDArray logits;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray ids = manager.create(flat, new Shape(rows, n));
            NDArray bias = AttentionMasks.causal(manager, rows, length, n, grown);
            NDArray hidden = lm.model().forward(lm.model().embed(ids), manager.create(positions, new Shape(rows, n)),
                    bias, cache);
            logits = lm.head(hidden);
            NDScope.unregister(logits);
        }
        for (int r = 0; r < rows; r++) {
            nextPosition[r] += n;
        }
        valid = grown;
        length += n;
        NDArray last = logits.get(":, -1, :");
        NDScope.unregister(last); // session state: freed by the session, not by a caller's scope
        next.close();
        next = last;
        return logits;
    }

    @Override
    public void select(int[] rows) {
        NDArray index = manager.create(Arrays.stream(rows).mapToLong(i -> i).toArray());
        cache.select(index);
        boolean[][] v = new boolean[rows.length][];
        long[] pos = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = valid[rows[i]].clone();
            pos[i] = nextPosition[rows[i]];
        }
        valid = v;
        nextPosition = pos;
        NDArray sel = next.get(index);
        NDScope.unregister(sel);
        next.close();
        next = sel;
        index.close();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void close() {
        cache.close();
        manager.close();
    }
}
