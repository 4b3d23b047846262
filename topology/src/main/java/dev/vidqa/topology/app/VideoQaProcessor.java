package dev.vidqa.topology.app;

import dev.vidqa.answerer.Answer;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.FrameSelector;
import dev.vidqa.frames.ImagePreprocessor;
import dev.vidqa.frames.SampledVideo;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.ingest.ChunkHeaders;
import dev.vidqa.topology.pipeline.QaEngine;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.InvalidQuestionException;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionOptions;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import dev.vidqa.topology.store.FrameKeys;
import dev.vidqa.topology.store.StoredFrame;
import dev.vidqa.topology.store.StreamInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks and questions of the same streams (both keyed by stream id, so co-partitioned) meet
 * here. A chunk is decoded and sampled at {@code vidqa.frames.store-fps}; its frames, resized to
 * the model's input, go to the frame store. A question is answered over the stored frames of its
 * window as soon as they are there, or parked in the pending store and answered when they arrive
 * or when its wait runs out. Anything that cannot be processed goes to the dead-letter topic or
 * becomes an {@code error} answer; the stream never stops on bad input.
 */
public final class VideoQaProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(VideoQaProcessor.class);

    public static final String FRAMES_STORE = "vidqa-frames";
    public static final String STREAMS_STORE = "vidqa-streams";
    public static final String PENDING_STORE = "vidqa-pending";
    public static final String ANSWERED_STORE = "vidqa-answered";
    public static final String ANSWERS_SINK = "answers";
    public static final String DEAD_LETTERS_SINK = "dead-letters";

    /** Dead-letter headers added to the original record. */
    public static final String DLQ_STAGE = "vidqa.dlq.stage";
    public static final String DLQ_ERROR_CLASS = "vidqa.dlq.error-class";
    public static final String DLQ_REASON = "vidqa.dlq.reason";
    public static final String DLQ_SOURCE = "vidqa.dlq.source";

    private final VidqaConfig config;
    private final QaEngine engine;
    private final VidqaMetrics metrics;
    private final VideoDecoder decoder;
    private final ImagePreprocessor resizer;
    private final int deadLetterMaxValueBytes;

    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> frames;
    private KeyValueStore<String, byte[]> streams;
    private KeyValueStore<String, byte[]> pending;
    private KeyValueStore<String, Long> answered;
    private long lastCleanup;
    /** Pending questions to look at on the next flush: new ones, and those of streams that just got frames. */
    private final java.util.LinkedHashSet<String> toCheck = new java.util.LinkedHashSet<>();
    /** When each ready question was first found ready (transient: batches linger briefly to fill up). */
    private final Map<String, Long> readySince = new java.util.HashMap<>();

    public VideoQaProcessor(VidqaConfig config, QaEngine engine, VidqaMetrics metrics) {
        this.config = config;
        this.engine = engine;
        this.metrics = metrics;
        this.decoder = new VideoDecoder(config.decodeLimits());
        this.resizer = new ImagePreprocessor(engine.imageSize());
        this.deadLetterMaxValueBytes = config.deadLetterMaxValueBytes();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.frames = context.getStateStore(FRAMES_STORE);
        this.streams = context.getStateStore(STREAMS_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.answered = context.getStateStore(ANSWERED_STORE);
        // questions are answered in batches on a short beat; waiting ones are re-checked on a slower one
        context.schedule(config.questionBatchInterval(), PunctuationType.WALL_CLOCK_TIME, this::flush);
        context.schedule(config.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkAllPending);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        if (topic.equals(config.topics().chunks().name())) {
            onChunk(record);
        } else if (topic.equals(config.topics().questions().name())) {
            onQuestion(record);
        } else {
            deadLetter(record, "routing", "IllegalStateException", "record from unexpected topic " + topic);
        }
    }

    // ---- chunks --------------------------------------------------------------------------

    private void onChunk(Record<byte[], byte[]> record) {
        if (record.key() == null || record.key().length == 0) {
            deadLetter(record, "chunk", "IllegalArgumentException", "chunk record has no key (the stream id)");
            return;
        }
        if (record.value() == null || record.value().length == 0) {
            deadLetter(record, "chunk", "IllegalArgumentException", "chunk record has no bytes");
            return;
        }
        String streamId = new String(record.key(), StandardCharsets.UTF_8);
        StreamInfo info = streamInfo(streamId);
        Headers h = record.headers();
        double start;
        Double end;
        try {
            start = number(h, ChunkHeaders.START, info.chunks() == 0 ? 0 : info.latestEnd());
            end = h.lastHeader(ChunkHeaders.END) == null ? null : number(h, ChunkHeaders.END, 0);
        } catch (IllegalArgumentException e) {
            deadLetter(record, "chunk", e.getClass().getSimpleName(), e.getMessage());
            return;
        }
        String clip = ChunkHeaders.get(h, ChunkHeaders.CLIP);
        if (info.chunks() > 0 && start < info.latestEnd() - RESTART_TOLERANCE_SECONDS) {
            // stream time went back: the stream was ingested anew (a camera restarted, a file re-sent)
            LOG.info("stream {} restarted at {} s (it had reached {} s): forgetting its old frames and clips", streamId,
                    start, info.latestEnd());
            forgetStream(streamId);
            info = StreamInfo.empty();
        } else if (clip != null && info.clips().containsKey(clip) && info.clips().get(clip).ended()) {
            // a clip whose last chunk arrived before is being ingested again: its old state must not answer
            LOG.info("clip {} of stream {} is ingested again: resetting it", clip, streamId);
            info = info.withoutClip(clip);
        }
        String container = ChunkHeaders.get(h, ChunkHeaders.CONTAINER);
        SampledVideo video;
        try {
            // each frame is resized to the model's input as soon as it is decoded: a chunk never holds
            // its frames at full size (8K is 100 MB a frame), and the pixels are those of a direct answer
            int size = engine.imageSize();
            video = decoder.sample(new VideoSource.Bytes(record.value(), container, "chunk of " + streamId),
                    SamplingSpec.fps(config.storeFps(), 0), f -> new DecodedFrame(f.index(), f.timestamp(), size, size,
                            resizer.resize(f.rgb(), f.width(), f.height())));
        } catch (VideoDecodeException e) {
            deadLetter(record, "chunk", e.getClass().getSimpleName() + "/" + e.reason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            deadLetter(record, "chunk", e.getClass().getSimpleName(), "decoding failed: " + e.getMessage());
            return;
        } catch (OutOfMemoryError e) {
            // the decode's own allocations are garbage now; failing the thread would only read this record again
            deadLetter(record, "chunk", "OutOfMemoryError", "decoding ran out of memory (" + e.getMessage()
                    + "); lower vidqa.decode.max-held-pixels or give the JVM more heap");
            return;
        }
        boolean clipEnd = "true".equals(ChunkHeaders.get(h, ChunkHeaders.CLIP_END));
        Map<DecodedFrame, Boolean> seen = new IdentityHashMap<>();
        double last = start;
        for (DecodedFrame f : video.frames()) {
            if (seen.put(f, Boolean.TRUE) != null) {
                continue; // a repeated pick
            }
            double t = start + f.timestamp();
            last = Math.max(last, t);
            StoredFrame sf = new StoredFrame(streamId, t, clip, engine.imageSize(), f.rgb());
            frames.put(sf.key(), sf.encode());
        }
        double chunkEnd = end != null ? end : last + 1.0 / Math.max(1, video.info().frameRate());
        info = info.withChunk(start, chunkEnd, clip, clipEnd, context.currentSystemTimeMs());
        info = forgetOld(streamId, info);
        streams.put(streamId, Json.write(info));
        metrics.chunkDecoded(video.totalFrames(), seen.size());
        try (KeyValueIterator<String, byte[]> it = pending.range(FrameKeys.streamPrefixStart(streamId),
                FrameKeys.streamPrefixEnd(streamId))) {
            it.forEachRemaining(kv -> toCheck.add(kv.key));
        }
    }

    /** How far a chunk may start before the stream's latest end without counting as a restart. */
    static final double RESTART_TOLERANCE_SECONDS = 1.0;

    /** Deletes every stored frame and the info of a stream. */
    private void forgetStream(String streamId) {
        deleteFrames(FrameKeys.streamPrefixStart(streamId), FrameKeys.streamPrefixEnd(streamId));
        streams.delete(streamId);
    }

    /** Deletes the stored frames with keys in [from, to]. */
    private void deleteFrames(String from, String to) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = frames.range(from, to)) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(frames::delete);
    }

    /** Drops frames older than the retention behind the stream's latest time. */
    private StreamInfo forgetOld(String streamId, StreamInfo info) {
        double cutoff = info.latestEnd() - config.retentionSeconds();
        if (cutoff <= 0 || info.firstStart() >= cutoff) {
            return info;
        }
        deleteFrames(FrameKeys.streamPrefixStart(streamId), FrameKeys.to(streamId, cutoff - 1e-6));
        return info.prune(cutoff);
    }

    private static double number(Headers h, String key, double def) {
        String v = ChunkHeaders.get(h, key);
        if (v == null) {
            return def;
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d) || d < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + key + " is not a time in seconds: '" + v + "'");
        }
    }

    private StreamInfo streamInfo(String streamId) {
        byte[] b = streams.get(streamId);
        if (b == null) {
            return StreamInfo.empty();
        }
        try {
            return Json.STATE.readValue(b, StreamInfo.class);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt stream info for " + streamId, e);
        }
    }

    // ---- questions -----------------------------------------------------------------------

    private void onQuestion(Record<byte[], byte[]> record) {
        QuestionRecord q;
        try {
            q = Json.question(record.value());
        } catch (InvalidQuestionException e) {
            deadLetter(record, "question", e.getClass().getSimpleName(), e.getMessage());
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (q.id() == null || q.id().isBlank()) {
            deadLetter(record, "question", InvalidQuestionException.class.getSimpleName(),
                    "question has no id, so no answer could refer to it");
            return;
        }
        String streamId = key != null && !key.isEmpty() ? key : q.streamId();
        if (streamId == null || streamId.isBlank()) {
            deadLetter(record, "question", InvalidQuestionException.class.getSimpleName(),
                    "question " + q.id() + " names no stream (record key and streamId are both missing)");
            return;
        }
        if (answered.get(q.id()) != null || pending.get(FrameKeys.pending(streamId, q.id())) != null) {
            metrics.duplicateQuestion();
            LOG.info("question {} was already received; ignoring the duplicate", q.id());
            return;
        }
        PendingQuestion pq = new PendingQuestion(q, streamId, record.timestamp(),
                context.currentSystemTimeMs() + config.questionWait().toMillis());
        try {
            if (q.streamId() != null && key != null && !key.isEmpty() && !q.streamId().equals(key)) {
                throw new InvalidQuestionException("streamId '" + q.streamId() + "' differs from the record key '" + key
                        + "' (questions are keyed by stream id)");
            }
            q.validate();
            answerOptions(q.options());
            sampling(q.options());
        } catch (InvalidQuestionException | IllegalArgumentException e) {
            emit(pq, AnswerRecord.ERROR, null, e.getMessage());
            return;
        }
        // durable before anything else: a question is never lost between its offset's commit and its answer
        String pk = FrameKeys.pending(streamId, q.id());
        pending.put(pk, Json.write(pq));
        toCheck.add(pk);
    }

    /** The slow beat: every waiting question is looked at (deadlines), old answered ids are forgotten. */
    private void checkAllPending(long now) {
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            it.forEachRemaining(kv -> toCheck.add(kv.key));
        }
        flush(now);
        if (now - lastCleanup > 60_000) {
            lastCleanup = now;
            List<String> expired = new ArrayList<>();
            try (KeyValueIterator<String, Long> it = answered.all()) {
                it.forEachRemaining(kv -> {
                    if (now - kv.value > config.dedupeRetention().toMillis()) {
                        expired.add(kv.key);
                    }
                });
            }
            expired.forEach(answered::delete);
            expireIdleStreams(now);
        }
    }

    /**
     * Retention works in stream time and runs when a stream sends a chunk, so a stream that stops
     * would keep its frames for ever: streams that sent nothing for {@code vidqa.frames.idle-expiry-seconds}
     * of wall-clock time are forgotten, frames and info.
     */
    private void expireIdleStreams(long now) {
        List<String> idle = new ArrayList<>();
        List<KeyValue<String, StreamInfo>> untimed = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = streams.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                StreamInfo info = streamInfo(kv.key);
                if (info.lastChunkAt() == 0) {
                    untimed.add(KeyValue.pair(kv.key, info)); // stored before this field existed: the clock starts now
                } else if (now - info.lastChunkAt() > config.idleExpiry().toMillis()) {
                    idle.add(kv.key);
                }
            }
        }
        untimed.forEach(kv -> streams.put(kv.key, Json.write(kv.value.touchedAt(now))));
        for (String s : idle) {
            LOG.info("stream {} sent nothing for {} s: forgetting its frames", s, config.idleExpiry().toSeconds());
            forgetStream(s);
        }
        metrics.streamsExpired(idle.size());
    }

    /** A question whose frames are there, with the frames it will look at. */
    private record Ready(PendingQuestion pq, List<QaEngine.FrameRef> frames, AnswerOptions options) {}

    /**
     * The fast beat: every question to check that is ready (or out of time) is answered, the ready
     * ones together so the engine can batch them.
     */
    private void flush(long now) {
        if (toCheck.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(toCheck);
        toCheck.clear();
        List<Ready> ready = new ArrayList<>();
        List<String> readyKeys = new ArrayList<>();
        boolean overdue = false;
        for (String key : keys) {
            byte[] b = pending.get(key);
            if (b == null) {
                continue; // answered meanwhile
            }
            PendingQuestion pq;
            try {
                pq = Json.STATE.readValue(b, PendingQuestion.class);
            } catch (IOException e) {
                LOG.error("pending question {} of stream {} cannot be read; answering it with an error",
                        FrameKeys.pendingQuestion(key), FrameKeys.pendingStream(key), e);
                emitUnreadable(key, e);
                continue;
            }
            boolean last = now >= pq.deadline();
            Ready r;
            try {
                r = resolve(pq, last);
            } catch (RuntimeException e) {
                // one question whose state cannot be read must not stop the stream thread
                LOG.error("resolving question {} failed", pq.question().id(), e);
                emit(pq, AnswerRecord.ERROR, null, "internal error: " + e);
                continue;
            }
            if (r != null) {
                ready.add(r);
                readyKeys.add(key);
                overdue |= last;
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        // Like a producer's linger: while questions keep arriving, wait a moment for a fuller
        // batch (the language model answers 8 together in little more than the time of one).
        long oldest = Long.MAX_VALUE;
        for (String k : readyKeys) {
            oldest = Math.min(oldest, readySince.computeIfAbsent(k, x -> now));
        }
        if (!overdue && ready.size() < config.questionMaxBatch() && now - oldest < config.questionBatchLinger().toMillis()) {
            toCheck.addAll(readyKeys);
            return;
        }
        readyKeys.forEach(readySince::remove);
        List<QaEngine.Request> requests = ready.stream().map(r -> new QaEngine.Request(r.frames(),
                r.pq().question().question(), r.pq().question().candidates(), r.options())).toList();
        metrics.questionBatch(requests.size());
        long t0 = System.nanoTime();
        List<QaEngine.Outcome> outcomes;
        try {
            outcomes = engine.answerAll(requests);
        } catch (RuntimeException e) {
            LOG.error("the engine failed on a batch of {} questions", requests.size(), e);
            outcomes = requests.stream().map(r -> new QaEngine.Outcome(null, e)).toList();
        }
        long perQuestion = (System.nanoTime() - t0) / ready.size();
        for (int i = 0; i < ready.size(); i++) {
            Ready r = ready.get(i);
            QaEngine.Outcome o = outcomes.get(i);
            metrics.modelTime().record(java.time.Duration.ofNanos(perQuestion));
            if (o.answer() != null) {
                emit(r.pq(), AnswerRecord.OK, new Result(o.answer(), r.frames()), null);
            } else if (o.error() instanceof IllegalArgumentException) {
                emit(r.pq(), AnswerRecord.ERROR, null, o.error().getMessage());
            } else {
                LOG.error("answering {} failed", r.pq().question().id(), o.error());
                emit(r.pq(), AnswerRecord.ERROR, null, "internal error: " + o.error());
            }
        }
    }

    /**
     * The frames a question will look at when its window is covered (or its wait is over and some
     * are there); emits {@code no-frames} when the wait is over with none; null to keep waiting.
     */
    private Ready resolve(PendingQuestion pq, boolean finalAttempt) {
        QuestionRecord q = pq.question();
        StreamInfo info = streams.get(pq.streamId()) == null ? null : streamInfo(pq.streamId());
        Window w = q.window() != null ? q.window() : Window.latest(config.defaultWindowSeconds());
        double from;
        double to;
        boolean ready;
        String clipFilter = null;
        switch (w.kind()) {
            case CLIP -> {
                StreamInfo.Clip clip = info == null ? null : info.clips().get(w.clip());
                ready = clip != null && clip.ended();
                from = clip == null ? 0 : clip.start();
                to = clip == null ? 0 : clip.end();
                clipFilter = w.clip();
            }
            case LATEST -> {
                ready = info != null && info.chunks() > 0;
                to = info == null ? 0 : info.latestEnd();
                from = Math.max(0, to - w.latestSeconds());
            }
            default -> {
                ready = info != null && info.latestEnd() >= w.to();
                from = w.from();
                to = w.to();
            }
        }
        if (!ready && !finalAttempt) {
            return null;
        }
        List<FrameAt> inWindow = framesIn(pq.streamId(), from, to, clipFilter);
        if (inWindow.isEmpty()) {
            if (finalAttempt) {
                String why = info == null
                        ? "no frames of stream '" + pq.streamId() + "' arrived within " + config.questionWait().toSeconds()
                        + " s"
                        : "no stored frames of stream '" + pq.streamId() + "' in " + describe(w, from, to)
                        + " within " + config.questionWait().toSeconds() + " s";
                emit(pq, AnswerRecord.NO_FRAMES, null, why);
            }
            return null;
        }
        double[] times = inWindow.stream().mapToDouble(FrameAt::time).toArray();
        int[] picks = FrameSelector.select(sampling(q.options()), times);
        List<QaEngine.FrameRef> refs = new ArrayList<>();
        for (int i : picks) {
            FrameAt f = inWindow.get(i);
            // pixels are read from the store only for the picked frames, and only on a feature-cache miss
            refs.add(new QaEngine.FrameRef(f.featureKey(), f.time(), () -> StoredFrame.decode(frames.get(f.key())).rgb()));
        }
        return new Ready(pq, refs, answerOptions(q.options()));
    }

    private static String describe(Window w, double from, double to) {
        return switch (w.kind()) {
            case CLIP -> "clip '" + w.clip() + "'";
            case LATEST -> "the latest " + w.latestSeconds() + " s";
            case RANGE -> String.format("[%.2f, %.2f] s", from, to);
        };
    }

    /** A stored frame's key, time and feature-cache key (key and content). */
    private record FrameAt(String key, double time, String featureKey) {}

    /** The stored frames of a window, without their pixels (a long clip holds hundreds of them). */
    private List<FrameAt> framesIn(String streamId, double from, double to, String clip) {
        List<FrameAt> out = new ArrayList<>();
        // windows are half-open, [from, to): a frame at `to` belongs to what comes next
        try (KeyValueIterator<String, byte[]> it = frames.range(FrameKeys.from(streamId, from),
                FrameKeys.to(streamId, to - 1e-6))) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                StoredFrame.Header h = StoredFrame.header(kv.value);
                if (clip == null || clip.equals(h.clip())) {
                    out.add(new FrameAt(kv.key, h.time(), h.featureKey(kv.key)));
                }
            }
        }
        return out;
    }

    private record Result(Answer answer, List<QaEngine.FrameRef> frames) {}

    private void emit(PendingQuestion pq, String status, Result r, String error) {
        long now = context.currentSystemTimeMs();
        long latency = pq.recordTimestamp() > 0 ? now - pq.recordTimestamp() : 0;
        QuestionRecord q = pq.question();
        List<AnswerRecord.Candidate> cands = null;
        if (r != null && !r.answer().candidates().isEmpty()) {
            cands = r.answer().candidates().stream().map(c -> new AnswerRecord.Candidate(c.text(), c.score())).toList();
        }
        AnswerRecord a = new AnswerRecord(q.id(), pq.streamId(), clip(q.question()), r == null ? null : r.answer().text(),
                r == null ? null : r.answer().score(), cands,
                r == null ? null : r.frames().stream().map(f -> Math.round(f.time() * 1e6) / 1e6).toList(),
                engine.name(), status, clip(error), latency, Instant.ofEpochMilli(now).toString());
        send(a, FrameKeys.pending(pq.streamId(), q.id()), now);
    }

    /** Emits an answer and forgets its pending question: it is answered, once. */
    private void send(AnswerRecord a, String pendingKey, long now) {
        context.forward(new Record<>(a.streamId().getBytes(StandardCharsets.UTF_8), Json.write(a), now), ANSWERS_SINK);
        answered.put(a.questionId(), now);
        pending.delete(pendingKey);
        metrics.answered(a.status(), a.latencyMs());
    }

    /** Longest text an answer echoes (question, error): an answer must fit a record whatever it answers. */
    static final int MAX_ECHO_CHARS = 1000;

    static String clip(String s) {
        if (s == null || s.length() <= MAX_ECHO_CHARS) {
            return s;
        }
        return s.substring(0, MAX_ECHO_CHARS) + "... (" + s.length() + " characters in all)";
    }

    /**
     * A pending question whose stored bytes cannot be read (damaged, or written by an incompatible
     * version) still gets an answer: an {@code error} naming the question and the reason.
     */
    private void emitUnreadable(String key, Exception e) {
        String streamId = FrameKeys.pendingStream(key);
        String questionId = FrameKeys.pendingQuestion(key);
        long now = context.currentSystemTimeMs();
        String reason = "the stored question could not be read (" + e.getClass().getSimpleName() + ": "
                + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "); please ask again";
        AnswerRecord a = new AnswerRecord(questionId, streamId, null, null, null, null, null, engine.name(),
                AnswerRecord.ERROR, clip(reason), 0, Instant.ofEpochMilli(now).toString());
        send(a, key, now);
    }

    /** The question's sampling: the application's answer settings with the question's options. */
    SamplingSpec sampling(QuestionOptions o) {
        return o == null ? config.sampling() : config.answer().withOverrides(o.asKeys()).samplingSpec();
    }

    /** The question's decoding: the application's answer settings with the question's options. */
    AnswerOptions answerOptions(QuestionOptions o) {
        return o == null ? config.answerOptions() : config.answer().withOverrides(o.asKeys()).options();
    }

    // ---- dead letters ----------------------------------------------------------------------

    /** Header naming the size of a value too large to copy into a dead letter (the source header locates it). */
    public static final String DLQ_VALUE_OMITTED = "vidqa.dlq.value-omitted";

    private void deadLetter(Record<byte[], byte[]> record, String stage, String errorClass, String reason) {
        Headers h = new RecordHeaders(record.headers().toArray());
        ChunkHeaders.put(h, DLQ_STAGE, stage);
        ChunkHeaders.put(h, DLQ_ERROR_CLASS, errorClass);
        ChunkHeaders.put(h, DLQ_REASON, reason == null ? "" : clip(reason));
        context.recordMetadata().ifPresent(m -> ChunkHeaders.put(h, DLQ_SOURCE, m.topic() + "-" + m.partition() + "@"
                + m.offset()));
        byte[] value = record.value();
        if (value != null && value.length > deadLetterMaxValueBytes) {
            // a copy would not fit the producer's request or the topic: keep the reason and where the original is
            ChunkHeaders.put(h, DLQ_VALUE_OMITTED, Integer.toString(value.length));
            value = null;
        }
        byte[] key = record.key() != null && record.key().length > MAX_ECHO_CHARS
                ? java.util.Arrays.copyOf(record.key(), MAX_ECHO_CHARS) : record.key();
        context.forward(new Record<>(key, value, record.timestamp(), h), DEAD_LETTERS_SINK);
        metrics.deadLetter(stage);
        LOG.warn("dead letter ({}): {}", stage, reason);
    }
}
