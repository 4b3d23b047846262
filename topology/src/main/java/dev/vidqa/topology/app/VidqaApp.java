package dev.vidqa.topology.app;

import dev.vidqa.topology.pipeline.ModelQaEngine;
import dev.vidqa.topology.pipeline.QaEngine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running streaming application: topics, the Kafka Streams instance, its metrics. */
public final class VidqaApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VidqaApp.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final VidqaMetrics metrics;
    private final ThreadFailures failures;

    private VidqaApp(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, VidqaMetrics metrics,
                     ThreadFailures failures) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.metrics = metrics;
        this.failures = failures;
    }

    /** Creates missing topics, builds the topology on {@code engine} and starts it. */
    public static VidqaApp start(VidqaConfig config, QaEngine engine, MeterRegistry registry)
            throws InterruptedException, ExecutionException {
        if (config.topicCreation().enabled()) {
            TopicAdmin.ensure(config.streamsProperties(), config.topics(), config.topicCreation().partitions(),
                    config.topicCreation().replication());
        }
        VidqaMetrics metrics = new VidqaMetrics(registry);
        if (engine instanceof ModelQaEngine m) {
            bindEngine(registry, m);
            m.encoder().addBatchListener(metrics::encoderBatch);
        }
        KafkaStreams streams = new KafkaStreams(VidqaTopology.build(config, engine, metrics), config.streamsProperties());
        ThreadFailures failures = new ThreadFailures(3, Duration.ofMinutes(10));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            failures.record(e, System.currentTimeMillis());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        KafkaStreamsMetrics km = new KafkaStreamsMetrics(streams);
        km.bindTo(registry);
        streams.start();
        return new VidqaApp(streams, km, metrics, failures);
    }

    /** The model engine as the configuration sets it up: feature cache, frame and question batching. */
    public static ModelQaEngine engine(VidqaConfig c, dev.vidqa.answerer.InstructBlipVideo model) {
        return new ModelQaEngine(model, c.encoder().cacheBytes(), c.encoder().maxBatch(), c.encoder().maxWait(), null,
                c.questions().maxBatch());
    }

    private static void bindEngine(MeterRegistry registry, ModelQaEngine m) {
        var enc = m.encoder();
        FunctionCounter.builder("vidqa.frames.encoded", enc, e -> e.encodedFrames())
                .description("frames run through the vision encoder").register(registry);
        FunctionCounter.builder("vidqa.features.cache", enc.cache(), c -> c.hits()).tag("result", "hit")
                .description("feature cache lookups").register(registry);
        FunctionCounter.builder("vidqa.features.cache", enc.cache(), c -> c.misses()).tag("result", "miss")
                .register(registry);
        Gauge.builder("vidqa.features.cache.bytes", enc.cache(), c -> c.bytes()).register(registry);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public VidqaMetrics metrics() {
        return metrics;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * "UP ..." while running or rebalancing, "DOWN ..." otherwise (for /health), and DOWN while
     * stream threads keep failing (a record that kills its thread is read again and again).
     */
    public String health() {
        String failing = failures.unhealthyReason(System.currentTimeMillis());
        if (failing != null) {
            return "DOWN " + failing;
        }
        KafkaStreams.State s = streams.state();
        return (s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING ? "UP " : "DOWN ") + s;
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
    }
}
