package dev.vidqa.topology.app;

import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.frames.DecodeLimits;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.topology.pipeline.AnswerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The application's configuration: {@code vidqa.*} keys are the application's own (see
 * {@code deploy/config-reference.md}); every other key goes to Kafka Streams (and through it to its
 * consumers and producers) unchanged.
 */
public record VidqaConfig(
        Path modelDir,
        DeviceChoice device,
        Topics topics,
        boolean createTopics,
        int partitions,
        short replication,
        double storeFps,
        double retentionSeconds,
        Duration idleExpiry,
        DecodeLimits decodeLimits,
        Duration questionWait,
        Duration checkInterval,
        Duration questionBatchInterval,
        Duration questionBatchLinger,
        int questionMaxBatch,
        Duration dedupeRetention,
        double defaultWindowSeconds,
        AnswerSettings answer,
        int encoderMaxBatch,
        Duration encoderMaxWait,
        long cacheBytes,
        int metricsPort,
        int torchThreads,
        Map<String, String> streams) {

    public VidqaConfig {
        if (!(storeFps > 0) || storeFps > 1000) {
            throw new IllegalArgumentException("vidqa.frames.store-fps must be in (0, 1000], got " + storeFps);
        }
        if (!(retentionSeconds > 0)) {
            throw new IllegalArgumentException("vidqa.frames.retention-seconds must be positive");
        }
        if (idleExpiry.isNegative() || idleExpiry.isZero()) {
            throw new IllegalArgumentException("vidqa.frames.idle-expiry-seconds must be positive");
        }
        if (questionWait.isNegative() || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("vidqa.questions.wait-seconds and check-interval-ms must be positive");
        }
        if (questionBatchLinger.isNegative()) {
            throw new IllegalArgumentException("vidqa.questions.batch-linger-ms must not be negative");
        }
        if (questionBatchInterval.isNegative() || questionBatchInterval.isZero() || questionMaxBatch < 1) {
            throw new IllegalArgumentException("vidqa.questions.batch-interval-ms and max-batch must be positive");
        }
        if (partitions < 1 || replication < 1) {
            throw new IllegalArgumentException("vidqa.topics.partitions and replication must be positive");
        }
        if (torchThreads < 1) {
            throw new IllegalArgumentException("vidqa.torch.threads must be positive");
        }
        if (encoderMaxBatch < 1) {
            throw new IllegalArgumentException("vidqa.encoder.max-batch must be positive");
        }
        streams = Map.copyOf(streams);
    }

    /**
     * PyTorch intra-op threads when not configured: the cores shared by every thread that runs the
     * model at once (each stream thread's language model, plus the shared vision encoder's thread).
     * More threads than cores spin-wait: 2 threads on 2 busy cores ran a loop 30x slower than 1.
     */
    static int defaultTorchThreads(Properties p) {
        int streamThreads = Integer.parseInt(p.getProperty("num.stream.threads", "1").trim());
        return Math.max(1, Runtime.getRuntime().availableProcessors() / (Math.max(1, streamThreads) + 1));
    }

    /** Sets the PyTorch threads of this JVM before the engine starts (see {@code vidqa.torch.threads}). */
    public int applyTorchThreads() {
        return dev.vidqa.qformer.Engines.limitThreads(torchThreads);
    }

    /** Reads a properties file; see {@link #from(Properties)}. */
    public static VidqaConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return from(p);
    }

    public static VidqaConfig from(Properties p) {
        Reader r = new Reader(p);
        Map<String, String> streams = new TreeMap<>();
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "vidqa");
        streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A replacement for a crashed instance with empty local state gets new transactional ids and
        // cannot fence the dead producer: the dead one's open transaction blocks reading the changelogs
        // and inputs until the broker aborts it after this timeout, so it is short. One model batch
        // (vidqa.questions.max-batch questions) must finish well within it.
        streams.put("producer.transaction.timeout.ms", "30000");
        // a dead member is noticed after the session timeout (heartbeats come from a background thread,
        // so long model calls do not end a live session)
        streams.put("consumer.session.timeout.ms", "10000");
        streams.put("consumer.heartbeat.interval.ms", "3000");
        // a model call can take seconds: keep polls alive across it
        streams.put("consumer.max.poll.interval.ms", "600000");
        streams.put("consumer.max.poll.records", "50");
        streams.put("producer.max.request.size", Integer.toString(34 << 20));
        streams.put("processing.exception.handler.global.enabled", "true");
        for (String k : p.stringPropertyNames()) {
            if (!k.startsWith("vidqa.")) {
                streams.put(k, p.getProperty(k));
            }
        }
        DecodeLimits limits = new DecodeLimits(
                r.lng("vidqa.decode.max-chunk-bytes", DecodeLimits.DEFAULTS.maxBytes()),
                r.integer("vidqa.decode.max-frames", 10_000),
                r.lng("vidqa.decode.max-pixels", DecodeLimits.DEFAULTS.maxPixels()),
                Duration.ofMillis(Math.round(r.dbl("vidqa.decode.max-seconds", 30) * 1000)),
                r.lng("vidqa.decode.max-held-pixels", DecodeLimits.DEFAULTS.maxHeldPixels()));
        String model = r.str("vidqa.model.dir", null);
        // the model's own answer settings (or the defaults), then the vidqa.answer.* keys given
        Map<String, String> answerKeys = new java.util.LinkedHashMap<>();
        for (String k : AnswerSettings.KEYS) {
            String v = p.getProperty("vidqa.answer." + k);
            if (v != null && !v.isBlank()) {
                answerKeys.put(k, k.equals("prompt") ? v : v.trim());
            }
        }
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("vidqa.answer.") && !AnswerSettings.KEYS.contains(k.substring("vidqa.answer.".length()))) {
                throw new IllegalArgumentException("unknown key " + k + " (vidqa.answer." + String.join(", vidqa.answer.",
                        AnswerSettings.KEYS) + ")");
            }
        }
        AnswerSettings answer;
        try {
            answer = AnswerSettings.forModel(model == null ? null : Path.of(model)).withOverrides(answerKeys);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vidqa.answer.*: " + e.getMessage(), e);
        }
        return new VidqaConfig(
                model == null ? null : Path.of(model),
                DeviceChoice.parse(r.str("vidqa.device", "auto")),
                new Topics(r.str("vidqa.topic.chunks", Topics.DEFAULT.chunks().name()),
                        r.str("vidqa.topic.questions", Topics.DEFAULT.questions().name()),
                        r.str("vidqa.topic.answers", Topics.DEFAULT.answers().name()),
                        r.str("vidqa.topic.dead-letters", Topics.DEFAULT.deadLetters().name())),
                r.bool("vidqa.topics.create", true),
                r.integer("vidqa.topics.partitions", 4),
                (short) r.integer("vidqa.topics.replication", 1),
                r.dbl("vidqa.frames.store-fps", 2.0),
                r.dbl("vidqa.frames.retention-seconds", 600),
                Duration.ofMillis(Math.round(r.dbl("vidqa.frames.idle-expiry-seconds", 3600) * 1000)),
                limits,
                Duration.ofMillis(Math.round(r.dbl("vidqa.questions.wait-seconds", 30) * 1000)),
                Duration.ofMillis(r.lng("vidqa.questions.check-interval-ms", 500)),
                Duration.ofMillis(r.lng("vidqa.questions.batch-interval-ms", 10)),
                Duration.ofMillis(r.lng("vidqa.questions.batch-linger-ms", 30)),
                r.integer("vidqa.questions.max-batch", 8),
                Duration.ofMillis(Math.round(r.dbl("vidqa.questions.dedupe-hours", 24) * 3_600_000)),
                r.dbl("vidqa.questions.default-window-seconds", 10),
                answer,
                r.integer("vidqa.encoder.max-batch", 16),
                Duration.ofMillis(r.lng("vidqa.encoder.max-wait-ms", 10)),
                r.lng("vidqa.encoder.cache-mb", 1024) << 20,
                r.integer("vidqa.metrics.port", 9464),
                r.integer("vidqa.torch.threads", defaultTorchThreads(p)),
                streams);
    }

    /** The default sampling of a question (a question's options may override it). */
    public SamplingSpec sampling() {
        return answer.samplingSpec();
    }

    /** The default decoding of a question (a question's options may override it). */
    public AnswerOptions answerOptions() {
        return answer.options();
    }

    public Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(streams);
        return p;
    }

    /**
     * The largest record value a dead letter may copy: what the application's producer may send
     * (and the dead-letter topic accepts) less room for the headers. A larger value is left out of
     * the dead letter, which then names the original's size and offset instead.
     */
    public int deadLetterMaxValueBytes() {
        Properties p = streamsProperties();
        long request = Long.parseLong(p.getProperty("producer.max.request.size",
                p.getProperty("max.request.size", Integer.toString(1 << 20))));
        long topic = dev.vidqa.ingest.ChunkPublisher.MAX_CHUNK_BYTES + (2L << 20);
        return (int) Math.max(0, Math.min(request, topic) - (256 << 10));
    }

    public String bootstrapServers() {
        return streams.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** Typed, checked reads of {@code vidqa.*} values with the key in every error. */
    private record Reader(Properties p) {
        String str(String k, String def) {
            String v = p.getProperty(k);
            return v == null || v.isBlank() ? def : v.trim();
        }

        int integer(String k, int def) {
            String v = str(k, null);
            try {
                return v == null ? def : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(k + " must be an integer, got '" + v + "'");
            }
        }

        long lng(String k, long def) {
            String v = str(k, null);
            try {
                return v == null ? def : Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(k + " must be an integer, got '" + v + "'");
            }
        }

        double dbl(String k, double def) {
            String v = str(k, null);
            try {
                return v == null ? def : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(k + " must be a number, got '" + v + "'");
            }
        }

        boolean bool(String k, boolean def) {
            String v = str(k, null);
            if (v == null) {
                return def;
            }
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(k + " must be true or false, got '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }
    }
}
