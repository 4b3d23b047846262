package dev.vidqa.topology.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/** The application's own meters, all named here. Kafka Streams client metrics are bound separately. */
public final class VidqaMetrics {
    private final MeterRegistry registry;
    private final Counter chunksDecoded;
    private final Counter framesDecoded;
    private final Counter framesStored;
    private final DistributionSummary encoderBatch;
    private final Timer questionLatency;
    private final Timer modelTime;

    public VidqaMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.chunksDecoded = Counter.builder("vidqa.chunks.decoded").description("video chunks decoded").register(registry);
        this.framesDecoded = Counter.builder("vidqa.frames.decoded").description("frames decoded from chunks")
                .register(registry);
        this.framesStored = Counter.builder("vidqa.frames.stored").description("sampled frames kept in the frame store")
                .register(registry);
        this.encoderBatch = DistributionSummary.builder("vidqa.encoder.batch.size")
                .description("frames per vision-encoder batch").publishPercentiles(0.5, 0.95).register(registry);
        this.questionLatency = Timer.builder("vidqa.question.latency").description("question record to answer")
                .publishPercentiles(0.5, 0.9, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        this.modelTime = Timer.builder("vidqa.model.time").description("model time per answered question")
                .publishPercentiles(0.5, 0.9).register(registry);
    }

    /** Time spent in the model per answered question (vision features, Q-Former, language model). */
    public Timer modelTime() {
        return modelTime;
    }

    public static VidqaMetrics noop() {
        return new VidqaMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void chunkDecoded(int frames, int stored) {
        chunksDecoded.increment();
        framesDecoded.increment(frames);
        framesStored.increment(stored);
    }

    public void questionBatch(int size) {
        registry.summary("vidqa.questions.batch.size").record(size);
    }

    public double meanQuestionBatch() {
        var s = registry.find("vidqa.questions.batch.size").summary();
        return s == null ? 0 : s.mean();
    }

    public void encoderBatch(int size) {
        encoderBatch.record(size);
    }

    public void answered(String status, long latencyMs) {
        registry.counter("vidqa.answers", "status", status).increment();
        questionLatency.record(Duration.ofMillis(Math.max(0, latencyMs)));
    }

    public void deadLetter(String stage) {
        registry.counter("vidqa.dead.letters", "stage", stage).increment();
    }

    /** Streams forgotten after sending nothing for the idle expiry. */
    public void streamsExpired(int n) {
        registry.counter("vidqa.streams.expired").increment(n);
    }

    public void duplicateQuestion() {
        registry.counter("vidqa.questions.duplicate").increment();
    }

    /**
     * Where a question's time goes, stage by stage ({@code vidqa_stage_seconds{stage}}). Commit, the
     * last stage, happens inside Kafka Streams after the answer is handed over: its own metric
     * {@code kafka_stream_thread_commit_latency_avg} covers it, and {@code bench stream} measures it
     * from the consumer's side.
     */
    public enum Stage {
        /** a chunk decoded, sampled, resized and put in the frame store (per chunk) */
        DECODE_STORE("decode_store"),
        /** a question accepted until its window's frames are there (or its wait ran out) */
        WAIT_FRAMES("wait_frames"),
        /** a ready question waiting for a fuller batch, and for the batch before it */
        BATCHING("batching"),
        /** frame features: the feature cache, else the vision encoder (per question) */
        VISION("vision"),
        /** the instruction-aware Q-Former and projection (per question; a batch's time is shared) */
        QFORMER("qformer"),
        /** the language model: generation or ranking (per question; a batch's time is shared) */
        LM("lm");

        final String word;

        Stage(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public void stage(Stage stage, Duration d) {
        Timer.builder("vidqa.stage").description("time per stage of a question's path").tag("stage", stage.word)
                .publishPercentiles(0.5, 0.99).register(registry).record(d.isNegative() ? Duration.ZERO : d);
    }

    /** The stage's timer, null before its first record. */
    public Timer stageTimer(Stage stage) {
        return registry.find("vidqa.stage").tag("stage", stage.word).timer();
    }

    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> lagMillis =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * How far behind live a stream is processed ({@code vidqa_stream_lag_seconds{stream}}): from when
     * its latest chunk was cut (its {@code vidqa.wallclock} header) to when it was stored.
     */
    public void streamLag(String stream, long millis) {
        lagMillis.computeIfAbsent(stream, s -> {
            java.util.concurrent.atomic.AtomicLong v = new java.util.concurrent.atomic.AtomicLong();
            io.micrometer.core.instrument.Gauge.builder("vidqa.stream.lag", v, x -> x.get() / 1000.0)
                    .description("seconds from a stream's latest chunk being cut to its being stored").baseUnit("seconds")
                    .tag("stream", s).register(registry);
            return v;
        }).set(Math.max(0, millis));
    }

    /** The stream is forgotten: its gauge goes. */
    public void streamGone(String stream) {
        if (lagMillis.remove(stream) != null) {
            var g = registry.find("vidqa.stream.lag").tag("stream", stream).gauge();
            if (g != null) {
                registry.remove(g);
            }
        }
    }

    /** The stream's lag in seconds, NaN when it has none. */
    public double streamLagSeconds(String stream) {
        var g = registry.find("vidqa.stream.lag").tag("stream", stream).gauge();
        return g == null ? Double.NaN : g.value();
    }

    /** Evaluations of watches answered. */
    public void watchEvaluated() {
        registry.counter("vidqa.watch.evaluations").increment();
    }

    /** Evaluations of watches skipped for a newer window (the watch was behind live). */
    public void watchEvaluationsSkipped(int n) {
        registry.counter("vidqa.watch.evaluations.skipped").increment(n);
    }

    public void incident(String state) {
        registry.counter("vidqa.incidents", "state", state).increment();
    }

    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }
}
