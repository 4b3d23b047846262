package dev.vidqa.answerer.t5;

import ai.djl.ndarray.NDArray;
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
 * One T5 request: the encoder runs once; the decoder's self-attention cache grows by one entry
 * per token. Cross-attention keys/values are computed once per video and never copied per beam
 * or candidate: when all rows read the same video they stay at batch 1 and broadcast.
 */
final class T5Session implements LmSession {
    private final T5ForConditionalGeneration model;
    private final NDManager manager;
    private final KvCache self;
    private final KvCache cross;
    private NDArray crossBias; // (crossRows,1,1,Lenc)
    private int[] crossVideo; // video held by each row of the cross cache
    private int[] videoOfRow; // video read by each session row
    private NDArray next; // (rows,V)
    private int length;
    private NDArray prefixLogits;

    /**
     * Encodes the inputs and feeds {@code decoderPrefix} (null: the decoder start token). With
     * {@code keepLogits}, the logits of the whole prefix are kept for {@link #prefixLogits()}.
     */
    T5Session(T5ForConditionalGeneration model, NDManager parent, NDArray softPrompts, List<long[]> promptIds,
              long[][] decoderPrefix, boolean keepLogits) {
        this.model = model;
        this.manager = parent.newSubManager();
        int layers = model.decoder().layers();
        this.self = new KvCache(layers);
        this.cross = new KvCache(layers);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // an alias owned by this session, so every array derived from it is too
            NDArray prompts = softPrompts.toDevice(manager.getDevice(), true);
            prompts.attach(manager);
            Object[] in = model.encoderInputs(manager, prompts, promptIds);
            crossBias = AttentionMasks.padding(manager, (boolean[][]) in[1]);
            NDScope.unregister(crossBias);
            NDArray encoded = model.encoder().encode((NDArray) in[0], crossBias);
            model.decoder().fillCross(cross, encoded);
        }
        videoOfRow = new int[promptIds.size()];
        Arrays.setAll(videoOfRow, i -> i);
        crossVideo = videoOfRow.clone();
        long[][] prefix = decoderPrefix;
        if (prefix == null) {
            prefix = new long[promptIds.size()][];
            Arrays.fill(prefix, new long[] {model.config().decoderStartTokenId()});
        }
        NDArray logits = feed(prefix);
        if (keepLogits) {
            prefixLogits = logits;
        } else {
            logits.close();
        }
    }

    NDArray prefixLogits() {
        return prefixLogits;
    }

    /** A fork: copies of the selected rows' state, owned by a manager of its own. */
    private T5Session(T5Session from, int[] rows) {
        this.model = from.model;
        this.manager = from.manager.getParentManager().newSubManager();
        int layers = from.model.decoder().layers();
        this.self = new KvCache(layers);
        this.cross = new KvCache(layers);
        NDArray rowIndex = manager.create(toLong(rows));
        NDArray crossIndex = manager.create(range(from.crossVideo.length));
        for (int l = 0; l < layers; l++) {
            self.put(l, own(from.self.keys(l).get(rowIndex)), own(from.self.values(l).get(rowIndex)));
            cross.put(l, own(from.cross.keys(l).get(crossIndex)), own(from.cross.values(l).get(crossIndex)));
        }
        this.crossBias = own(from.crossBias.get(crossIndex));
        this.crossVideo = from.crossVideo.clone();
        this.videoOfRow = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            videoOfRow[i] = from.videoOfRow[rows[i]];
        }
        this.next = own(from.next.get(rowIndex));
        this.length = from.length;
        alignCross();
    }

    /** Moves an array derived from another session's state into this session's manager. */
    private NDArray own(NDArray a) {
        a.attach(manager);
        return a;
    }

    private static long[] range(int n) {
        long[] r = new long[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    private static long[] toLong(int[] rows) {
        return Arrays.stream(rows).mapToLong(i -> i).toArray();
    }

    @Override
    public LmSession fork(int[] rows) {
        return new T5Session(this, rows);
    }

    @Override
    public int rows() {
        return videoOfRow.length;
    }

    @Override
    public NDArray nextLogits() {
        return next;
    }

    @Override
    public NDArray feed(long[][] tokens) {
        int rows = tokens.length;
        int n = tokens[0].length;
        long[] flat = TokenRows.flatten(tokens, videoOfRow.length);
        NDArray logits;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray ids = manager.create(flat, new Shape(rows, n));
            NDArray causal = AttentionMasks.causal(manager, rows, length, n, null);
            NDArray hidden = model.decoder().decode(model.embed(ids), length, self, cross, causal, crossBias);
            logits = model.head(hidden);
            NDScope.unregister(logits);
        }
        length += n;
        NDArray last = logits.get(":, -1, :");
        NDScope.unregister(last); // session state: freed by the session, not by a caller's scope
        if (next != null) {
            next.close();
        }
        next = last;
        return logits;
    }

    /**
     * Runs the decoder over {@code decoderIds} (start token first) from scratch, reusing only the
     * encoder's cross-attention keys/values: the no-KV-cache baseline. Rows must match this session's.
     */
    NDArray recomputeDecoder(long[][] decoderIds) {
        int rows = decoderIds.length;
        int n = decoderIds[0].length;
        long[] flat = TokenRows.flatten(decoderIds, videoOfRow.length);
        try (NDScope scope = new NDScope(); KvCache fresh = new KvCache(model.decoder().layers())) {
            scope.suppressNotUsedWarning();
            NDArray ids = manager.create(flat, new Shape(rows, n));
            NDArray causal = AttentionMasks.causal(manager, rows, 0, n, null);
            NDArray logits = model.head(model.decoder().decode(model.embed(ids), 0, fresh, cross, causal, crossBias));
            NDScope.unregister(logits);
            return logits;
        }
    }

    @Override
    public void select(int[] rows) {
        NDArray index = manager.create(toLong(rows));
        self.select(index);
        NDArray nextSel = next.get(index);
        NDScope.unregister(nextSel);
        next.close();
        next = nextSel;
        index.close();
        int[] videos = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            videos[i] = videoOfRow[rows[i]];
        }
        videoOfRow = videos;
        alignCross();
    }

    /**
     * Makes the cross cache hold what the rows need: one row per session row, or a single row
     * when every session row reads the same video (attention broadcasts it).
     */
    private void alignCross() {
        boolean uniform = Arrays.stream(videoOfRow).allMatch(v -> v == videoOfRow[0]);
        int[] wanted = uniform ? new int[] {videoOfRow[0]} : videoOfRow;
        if (Arrays.equals(wanted, crossVideo)) {
            return;
        }
        long[] from = new long[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            int v = wanted[i];
            int j = 0;
            while (crossVideo[j] != v) {
                j++;
            }
            from[i] = j;
        }
        NDArray index = manager.create(from);
        cross.select(index);
        NDArray bias = crossBias.get(index);
        crossBias.close();
        crossBias = bias;
        crossVideo = wanted;
        index.close();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void close() {
        self.close();
        cross.close();
        manager.close();
    }
}
