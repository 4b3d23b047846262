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
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The application's configuration, grouped by concern: {@code vidqa.*} keys are the application's own
 * ({@link ConfigKeys}, listed in {@code deploy/config-reference.md}); every other key goes to Kafka
 * Streams (and through it to its consumers and producers) unchanged.
 */
public record VidqaConfig(Model model, Topics topics, TopicCreation topicCreation, Frames frames, Questions questions,
                          Encoder encoder, int metricsPort, Live live, Map<String, String> streams) {

    /** What answers: the checkpoint, where it runs, its answer settings and PyTorch's threads. */
    public record Model(Path dir, DeviceChoice device, AnswerSettings answer, int torchThreads) {
        public Model {
            if (device == null || answer == null) {
                throw new IllegalArgumentException("a model needs a device and answer settings");
            }
            if (torchThreads < 1) {
                throw new IllegalArgumentException(ConfigKeys.TORCH_THREADS.name() + " must be positive");
            }
        }
    }

    /** How missing topics are created at start-up. */
    public record TopicCreation(boolean enabled, int partitions, short replication) {
        public TopicCreation {
            if (partitions < 1 || replication < 1) {
                throw new IllegalArgumentException(ConfigKeys.TOPICS_PARTITIONS.name() + " and "
                        + ConfigKeys.TOPICS_REPLICATION.name() + " must be positive");
            }
        }
    }

    /** Which frames of a chunk are kept, for how long, and what one chunk's decode may cost. */
    public record Frames(double storeFps, double retentionSeconds, Duration idleExpiry, DecodeLimits decode) {
        public Frames {
            if (!(storeFps > 0) || storeFps > 1000) {
                throw new IllegalArgumentException(ConfigKeys.STORE_FPS.name() + " must be in (0, 1000], got " + storeFps);
            }
            if (!(retentionSeconds > 0)) {
                throw new IllegalArgumentException(ConfigKeys.RETENTION.name() + " must be positive");
            }
            if (idleExpiry.isNegative() || idleExpiry.isZero()) {
                throw new IllegalArgumentException(ConfigKeys.IDLE_EXPIRY.name() + " must be positive");
            }
        }
    }

    /** How questions wait for their frames, are batched, and are deduplicated. */
    public record Questions(Duration frameWait, Duration checkInterval, Duration batchInterval, Duration batchLinger,
                            int maxBatch, Duration dedupeRetention, double defaultWindowSeconds, Duration watchMaxLag) {
        public Questions {
            if (frameWait.isNegative() || checkInterval.isNegative() || checkInterval.isZero()) {
                throw new IllegalArgumentException(ConfigKeys.QUESTION_WAIT.name() + " and "
                        + ConfigKeys.CHECK_INTERVAL.name() + " must be positive");
            }
            if (batchLinger.isNegative()) {
                throw new IllegalArgumentException(ConfigKeys.BATCH_LINGER.name() + " must not be negative");
            }
            if (batchInterval.isNegative() || batchInterval.isZero() || maxBatch < 1) {
                throw new IllegalArgumentException(ConfigKeys.BATCH_INTERVAL.name() + " and "
                        + ConfigKeys.MAX_BATCH.name() + " must be positive");
            }
            if (!(defaultWindowSeconds > 0)) {
                throw new IllegalArgumentException(ConfigKeys.DEFAULT_WINDOW.name() + " must be positive");
            }
            if (watchMaxLag.isNegative() || watchMaxLag.isZero()) {
                throw new IllegalArgumentException(ConfigKeys.WATCH_MAX_LAG.name() + " must be positive");
            }
        }
    }

    /** The shared vision encoder's dynamic batching and feature cache. */
    public record Encoder(int maxBatch, Duration maxWait, long cacheBytes) {
        public Encoder {
            if (maxBatch < 1) {
                throw new IllegalArgumentException(ConfigKeys.ENCODER_MAX_BATCH.name() + " must be positive");
            }
            if (maxWait.isNegative() || cacheBytes < 0) {
                throw new IllegalArgumentException(ConfigKeys.ENCODER_MAX_WAIT.name() + " and "
                        + ConfigKeys.CACHE_MB.name() + " must not be negative");
            }
        }
    }

    /** The live page on the HTTP port: whether it is served, how many pages at once, how much history. */
    public record Live(boolean enabled, int maxClients, int recent) {
        public Live {
            if (maxClients < 1 || maxClients > 256) {
                throw new IllegalArgumentException(ConfigKeys.LIVE_MAX_CLIENTS.name() + " must be 1..256, got " + maxClients);
            }
            if (recent < 1 || recent > 10_000) {
                throw new IllegalArgumentException(ConfigKeys.LIVE_RECENT.name() + " must be 1..10000, got " + recent);
            }
        }
    }

    public VidqaConfig {
        if (model == null || topics == null || topicCreation == null || frames == null || questions == null
                || encoder == null || live == null) {
            throw new IllegalArgumentException("every part of the configuration is needed");
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException(ConfigKeys.METRICS_PORT.name() + " must be 0..65535, got " + metricsPort);
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
        return dev.vidqa.qformer.Engines.limitThreads(model.torchThreads());
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
        ConfigKeys.Reader r = new ConfigKeys.Reader(p);
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("vidqa.") && !ConfigKeys.known(k)) {
                // a misspelt key would otherwise be ignored without a word
                throw new IllegalArgumentException("unknown key " + k + " (see deploy/config-reference.md)");
            }
        }
        Map<String, String> streams = new TreeMap<>();
        ConfigKeys.STREAMS_DEFAULTS.forEach(d -> streams.put(d.name(), d.value()));
        for (String k : p.stringPropertyNames()) {
            if (!k.startsWith("vidqa.")) {
                streams.put(k, p.getProperty(k));
            }
        }
        String dir = r.str(ConfigKeys.MODEL_DIR);
        Path modelDir = dir == null ? null : Path.of(dir);
        String threads = r.str(ConfigKeys.TORCH_THREADS);
        Model model = new Model(modelDir, DeviceChoice.parse(r.str(ConfigKeys.DEVICE)), answerSettings(p, modelDir),
                threads == null ? defaultTorchThreads(p) : r.integer(ConfigKeys.TORCH_THREADS));
        Topics topics = new Topics(r.str(ConfigKeys.TOPIC_CHUNKS), r.str(ConfigKeys.TOPIC_QUESTIONS),
                r.str(ConfigKeys.TOPIC_ANSWERS), r.str(ConfigKeys.TOPIC_DEAD_LETTERS), r.str(ConfigKeys.TOPIC_WATCHES),
                r.str(ConfigKeys.TOPIC_INCIDENTS), r.str(ConfigKeys.TOPIC_SOURCES), r.str(ConfigKeys.TOPIC_SOURCE_STATUS));
        TopicCreation creation = new TopicCreation(r.bool(ConfigKeys.TOPICS_CREATE), r.integer(ConfigKeys.TOPICS_PARTITIONS),
                (short) r.integer(ConfigKeys.TOPICS_REPLICATION));
        DecodeLimits limits = new DecodeLimits(r.lng(ConfigKeys.MAX_CHUNK_BYTES), r.integer(ConfigKeys.MAX_FRAMES),
                r.lng(ConfigKeys.MAX_PIXELS), r.seconds(ConfigKeys.MAX_DECODE_SECONDS), r.lng(ConfigKeys.MAX_HELD_PIXELS));
        Frames frames = new Frames(r.dbl(ConfigKeys.STORE_FPS), r.dbl(ConfigKeys.RETENTION), r.seconds(ConfigKeys.IDLE_EXPIRY),
                limits);
        Questions questions = new Questions(r.seconds(ConfigKeys.QUESTION_WAIT), r.millis(ConfigKeys.CHECK_INTERVAL),
                r.millis(ConfigKeys.BATCH_INTERVAL), r.millis(ConfigKeys.BATCH_LINGER), r.integer(ConfigKeys.MAX_BATCH),
                java.time.Duration.ofMillis(Math.round(r.dbl(ConfigKeys.DEDUPE_HOURS) * 3_600_000)),
                r.dbl(ConfigKeys.DEFAULT_WINDOW), r.seconds(ConfigKeys.WATCH_MAX_LAG));
        Encoder encoder = new Encoder(r.integer(ConfigKeys.ENCODER_MAX_BATCH), r.millis(ConfigKeys.ENCODER_MAX_WAIT),
                r.lng(ConfigKeys.CACHE_MB) << 20);
        Live live = new Live(r.bool(ConfigKeys.LIVE_ENABLED), r.integer(ConfigKeys.LIVE_MAX_CLIENTS),
                r.integer(ConfigKeys.LIVE_RECENT));
        return new VidqaConfig(model, topics, creation, frames, questions, encoder, r.integer(ConfigKeys.METRICS_PORT),
                live, streams);
    }

    /** The model's own answer settings (or the defaults), then the {@code vidqa.answer.*} keys given. */
    private static AnswerSettings answerSettings(Properties p, Path modelDir) {
        Map<String, String> answerKeys = new java.util.LinkedHashMap<>();
        for (String k : AnswerSettings.KEYS) {
            String v = p.getProperty(ConfigKeys.ANSWER_PREFIX + k);
            if (v != null && !v.isBlank()) {
                answerKeys.put(k, k.equals("prompt") ? v : v.trim());
            }
        }
        try {
            return AnswerSettings.forModel(modelDir).withOverrides(answerKeys);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigKeys.ANSWER_PREFIX + "*: " + e.getMessage(), e);
        }
    }

    /** The default sampling of a question (a question's options may override it). */
    public SamplingSpec sampling() {
        return model.answer().samplingSpec();
    }

    /** The default decoding of a question (a question's options may override it). */
    public AnswerOptions answerOptions() {
        return model.answer().options();
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
        long topic = TopicAdmin.MAX_MESSAGE_BYTES;
        return (int) Math.max(0, Math.min(request, topic) - (256 << 10));
    }

    public String bootstrapServers() {
        return streams.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
}
