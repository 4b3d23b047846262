package dev.vidqa.topology.app;

import dev.vidqa.answerer.Answer;
import dev.vidqa.frames.FrameSelector;
import dev.vidqa.topology.failure.FailureKind;
import dev.vidqa.topology.failure.Failures;
import dev.vidqa.topology.failure.InvalidRequestException;
import dev.vidqa.topology.pipeline.AnswerSettings;
import dev.vidqa.topology.pipeline.QaEngine;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import dev.vidqa.topology.store.FrameKeys;
import dev.vidqa.topology.store.FrameStore;
import dev.vidqa.topology.store.StreamInfo;
import dev.vidqa.topology.store.StreamInfoStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * Chunks and questions of the same streams (both keyed by stream id, so co-partitioned) meet here.
 * A chunk takes the {@link ChunkPath} into the frame store; a question the {@link QuestionIntake}
 * into the pending store. On a short beat, every pending question whose window
 * ({@link WindowResolver}) is covered — or whose wait ran out — is answered, together with the
 * others ready ({@link QuestionBatcher}), by the engine, and the answers are written
 * ({@link AnswerWriter}). What cannot be processed goes to the dead-letter topic
 * ({@link DeadLetterWriter}) or becomes an {@code error} answer; the stream never stops on bad input.
 */
public final class VideoQaProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(VideoQaProcessor.class);

    public static final String FRAMES_STORE = "vidqa-frames";
    public static final String STREAMS_STORE = "vidqa-streams";
    public static final String PENDING_STORE = "vidqa-pending";
    public static final String ANSWERED_STORE = "vidqa-answered";
    public static final String WATCH_STATE_STORE = "vidqa-watch-state";
    /** The global store of the standing questions (from the watches topic). */
    public static final String WATCHES_STORE = "vidqa-watches";
    public static final String ANSWERS_SINK = "answers";
    public static final String INCIDENTS_SINK = "incidents";
    public static final String DEAD_LETTERS_SINK = "dead-letters";

    private final VidqaConfig config;
    private final QaEngine engine;
    private final VidqaMetrics metrics;

    private ProcessorContext<byte[], byte[]> context;
    private FrameStore frames;
    private StreamInfoStore streams;
    private KeyValueStore<String, byte[]> pending;
    private KeyValueStore<String, Long> answered;
    private ChunkPath chunks;
    private QuestionIntake intake;
    private QuestionBatcher batcher;
    private AnswerWriter answers;
    private DeadLetterWriter deadLetters;
    private WatchRunner watches;
    private long lastCleanup;
    /** Pending questions to look at on the next beat: new ones, and those of streams that just got frames. */
    private final LinkedHashSet<String> toCheck = new LinkedHashSet<>();

    public VideoQaProcessor(VidqaConfig config, QaEngine engine, VidqaMetrics metrics) {
        this.config = config;
        this.engine = engine;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.frames = new FrameStore(context.getStateStore(FRAMES_STORE));
        this.streams = new StreamInfoStore(context.getStateStore(STREAMS_STORE));
        this.pending = context.getStateStore(PENDING_STORE);
        this.answered = context.getStateStore(ANSWERED_STORE);
        this.chunks = new ChunkPath(config.frames(), engine.imageSize(), frames, streams, metrics);
        this.intake = new QuestionIntake(config, pending, answered, metrics);
        this.batcher = new QuestionBatcher(config.questions());
        this.answers = new AnswerWriter(context, pending, answered, engine.name(), metrics);
        this.deadLetters = new DeadLetterWriter(context, config.deadLetterMaxValueBytes(), metrics);
        this.watches = new WatchRunner(context.getStateStore(WATCHES_STORE), context.getStateStore(WATCH_STATE_STORE),
                pending, config.questions(), metrics);
        // questions are answered in batches on a short beat; waiting ones are re-checked on a slower one
        context.schedule(config.questions().batchInterval(), PunctuationType.WALL_CLOCK_TIME, this::flush);
        context.schedule(config.questions().checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkAllPending);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        if (topic.equals(config.topics().chunks().name())) {
            onChunk(record);
        } else if (topic.equals(config.topics().questions().name())) {
            onQuestion(record);
        } else {
            deadLetters.write(record, DeadLetterWriter.Stage.ROUTING,
                    new IllegalStateException("record from unexpected topic " + topic));
        }
    }

    private void onChunk(Record<byte[], byte[]> record) {
        if (record.key() == null || record.key().length == 0) {
            deadLetters.write(record, DeadLetterWriter.Stage.CHUNK,
                    new InvalidRequestException("chunk record has no key (the stream id)"));
            return;
        }
        if (record.value() == null || record.value().length == 0) {
            deadLetters.write(record, DeadLetterWriter.Stage.CHUNK, new InvalidRequestException("chunk record has no bytes"));
            return;
        }
        String streamId = new String(record.key(), StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        ChunkPath.Stored stored;
        try {
            stored = chunks.accept(streamId, record.headers(), record.value(), context.currentSystemTimeMs());
            metrics.stage(VidqaMetrics.Stage.DECODE_STORE, Duration.ofNanos(System.nanoTime() - t0));
        } catch (RuntimeException e) {
            deadLetters.write(record, DeadLetterWriter.Stage.CHUNK, e);
            return;
        }
        long now = context.currentSystemTimeMs();
        Long lag = stored.cutAt() == null ? null : now - stored.cutAt(); // behind live, when the chunk says when it was cut
        if (lag != null) {
            metrics.streamLag(streamId, lag);
        }
        if (stored.restarted()) {
            watches.streamEnded(streamId, now).forEach(this::publish); // its watches start over with it
        }
        // the stream's time moved: standing questions may be due (on stream time, so replays repeat)
        toCheck.addAll(watches.onChunk(streamId, stored.info(), record.timestamp(), now, lag));
        // the stream's waiting questions may be answerable now
        try (KeyValueIterator<String, byte[]> it = pending.range(FrameKeys.streamPrefixStart(streamId),
                FrameKeys.streamPrefixEnd(streamId))) {
            it.forEachRemaining(kv -> toCheck.add(kv.key));
        }
    }

    private void onQuestion(Record<byte[], byte[]> record) {
        QuestionIntake.Outcome o = intake.accept(record.key(), record.value(), record.timestamp(),
                context.currentSystemTimeMs());
        if (o instanceof QuestionIntake.Refused r) {
            deadLetters.write(record, DeadLetterWriter.Stage.QUESTION, r.why());
        } else if (o instanceof QuestionIntake.Rejected r) {
            answers.error(r.question(), FailureKind.INVALID_REQUEST, r.why().getMessage());
        } else if (o instanceof QuestionIntake.Accepted a) {
            toCheck.add(a.pendingKey());
        } // a duplicate is ignored (counted)
    }

    /** The slow beat: every waiting question is looked at (deadlines), old answered ids and idle streams forgotten. */
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
                    if (now - kv.value > config.questions().dedupeRetention().toMillis()) {
                        expired.add(kv.key);
                    }
                });
            }
            expired.forEach(answered::delete);
            for (String stream : chunks.expireIdle(now)) {
                watches.streamEnded(stream, now).forEach(this::publish);
                metrics.streamGone(stream);
            }
        }
    }

    /**
     * What one beat has read from the stores: questions about the same stream and window (many
     * clients asking about one clip) cost one stream-info read and one range scan between them.
     */
    private static final class FlushReads {
        final Map<String, StreamInfo> infos = new java.util.HashMap<>();
        final Map<List<Object>, List<FrameStore.Entry>> windows = new java.util.HashMap<>();
    }

    /** A question whose frames are there, with the frames it will look at and its settings. */
    private record Ready(String key, PendingQuestion pq, List<QaEngine.FrameRef> frames, AnswerSettings settings) {}

    /** The fast beat: the questions to check that are ready (or out of time) are answered, together. */
    private void flush(long now) {
        if (toCheck.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(toCheck);
        toCheck.clear();
        List<Ready> ready = new ArrayList<>();
        boolean overdue = false;
        FlushReads reads = new FlushReads();
        for (String key : keys) {
            byte[] b = pending.get(key);
            if (b == null) {
                continue; // answered meanwhile
            }
            PendingQuestion pq;
            try {
                pq = Json.STATE.readValue(b, PendingQuestion.class);
            } catch (IOException e) {
                LOG.error("pending question {} cannot be read; answering it with an error", key, e);
                answers.unreadable(key, e);
                continue;
            }
            boolean last = now >= pq.deadline();
            try {
                Ready r = resolve(key, pq, last, reads);
                if (r != null) {
                    ready.add(r);
                    overdue |= last;
                }
            } catch (RuntimeException e) {
                // one question whose state cannot be read must not stop the stream thread
                LOG.error("resolving question {} failed", pq.question().id(), e);
                fail(pq, e);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        List<String> readyKeys = ready.stream().map(Ready::key).toList();
        Map<String, Long> readySince = batcher.release(readyKeys, overdue, now);
        if (readySince == null) {
            toCheck.addAll(readyKeys);
            return;
        }
        List<Ready> going = new ArrayList<>();
        for (Ready r : ready) {
            Long since = readySince.get(r.key());
            if (since == null) {
                toCheck.add(r.key()); // lingers on for a fuller batch
                continue;
            }
            // accepted = deadline - wait; ready when first found so; answered now
            long accepted = r.pq().deadline() - config.questions().frameWait().toMillis();
            metrics.stage(VidqaMetrics.Stage.WAIT_FRAMES, Duration.ofMillis(since - accepted));
            metrics.stage(VidqaMetrics.Stage.BATCHING, Duration.ofMillis(now - since));
            going.add(r);
        }
        answer(going);
    }

    private void answer(List<Ready> ready) {
        List<QaEngine.Request> requests = ready.stream().map(r -> new QaEngine.Request(r.frames(),
                r.pq().question().question(), r.pq().question().candidates(), r.settings().options())).toList();
        metrics.questionBatch(requests.size());
        long t0 = System.nanoTime();
        List<QaEngine.Outcome> outcomes;
        try {
            outcomes = engine.answerAll(requests);
        } catch (RuntimeException e) {
            LOG.error("the engine failed on a batch of {} questions", requests.size(), e);
            outcomes = requests.stream().map(r -> new QaEngine.Outcome(null, e)).toList();
        }
        Duration perQuestion = Duration.ofNanos((System.nanoTime() - t0) / ready.size());
        for (int i = 0; i < ready.size(); i++) {
            Ready r = ready.get(i);
            QaEngine.Outcome o = outcomes.get(i);
            metrics.modelTime().record(perQuestion);
            if (o.answer() != null) {
                Answer.Timings t = o.answer().timings().perQuestion();
                metrics.stage(VidqaMetrics.Stage.VISION, millis(t.visionMs()));
                metrics.stage(VidqaMetrics.Stage.QFORMER, millis(t.qformerMs()));
                metrics.stage(VidqaMetrics.Stage.LM, millis(t.languageModelMs()));
                answers.answer(r.pq(), o.answer(), r.frames());
                if (r.pq().watch() != null) {
                    publish(watches.evaluated(r.pq(), o.answer().text(), AnswerWriter.frameTimes(r.frames()),
                            context.currentSystemTimeMs()));
                }
            } else {
                fail(r.pq(), o.error());
            }
        }
    }

    /** An incident to {@code vidqa.incidents}, keyed by its stream. */
    private void publish(dev.vidqa.topology.records.IncidentRecord incident) {
        if (incident == null) {
            return;
        }
        context.forward(new Record<>(incident.streamId().getBytes(StandardCharsets.UTF_8), Json.write(incident),
                context.currentSystemTimeMs()), INCIDENTS_SINK);
        metrics.incident(incident.state());
    }

    private static Duration millis(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }

    /** An {@code error} answer of the failure's kind; the caller's own mistakes are said as they are. */
    private void fail(PendingQuestion pq, Throwable error) {
        FailureKind kind = Failures.kind(error);
        if (kind == FailureKind.INVALID_REQUEST) {
            answers.error(pq, kind, Failures.unwrap(error).getMessage());
        } else {
            LOG.error("answering {} failed ({})", pq.question().id(), kind.word(), error);
            answers.error(pq, kind, kind.word() + " error: " + error);
        }
    }

    /**
     * The frames a question will look at when its window is covered (or its wait is over and some
     * are there); answers {@code no-frames} when the wait is over with none; null to keep waiting.
     */
    private Ready resolve(String key, PendingQuestion pq, boolean finalAttempt, FlushReads reads) {
        QuestionRecord q = pq.question();
        StreamInfo info = reads.infos.computeIfAbsent(pq.streamId(), streams::get);
        Window w = q.window() != null ? q.window() : Window.latest(config.questions().defaultWindowSeconds());
        WindowResolver.Span span = WindowResolver.resolve(w, info);
        if (!span.covered() && !finalAttempt) {
            return null;
        }
        List<FrameStore.Entry> inWindow = reads.windows.computeIfAbsent(List.of(pq.streamId(), span),
                k -> frames.window(pq.streamId(), span.from(), span.to(), span.clip()));
        if (inWindow.isEmpty()) {
            if (finalAttempt) {
                long wait = config.questions().frameWait().toSeconds();
                if (pq.watch() != null) {
                    publish(watches.evaluated(pq, null, List.of(), context.currentSystemTimeMs())); // nothing seen: a miss
                }
                answers.noFrames(pq, info == null
                        ? "no frames of stream '" + pq.streamId() + "' arrived within " + wait + " s"
                        : "no stored frames of stream '" + pq.streamId() + "' in " + WindowResolver.describe(w, span)
                        + " within " + wait + " s");
            }
            return null;
        }
        AnswerSettings settings = intake.settings(q);
        double[] times = inWindow.stream().mapToDouble(FrameStore.Entry::time).toArray();
        List<QaEngine.FrameRef> refs = new ArrayList<>();
        for (int i : FrameSelector.select(settings.samplingSpec(), times)) {
            FrameStore.Entry f = inWindow.get(i);
            // pixels are read from the store only for the picked frames, and only on a feature-cache miss
            refs.add(new QaEngine.FrameRef(f.featureKey(), f.time(), () -> frames.rgb(f)));
        }
        return new Ready(key, pq, refs, settings);
    }
}
