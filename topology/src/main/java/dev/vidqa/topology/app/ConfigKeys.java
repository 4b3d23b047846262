package dev.vidqa.topology.app;

import dev.vidqa.frames.DecodeLimits;
import dev.vidqa.topology.pipeline.AnswerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Every {@code vidqa.*} key with its default and meaning: the one table {@link VidqaConfig} reads its
 * defaults from and {@link ConfigReference} writes {@code deploy/config-reference.md} from (a test
 * fails when the file differs). Defaults are text, exactly as a properties file would say them.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    /** The reference's sections, in its order; each groups the keys of one {@link VidqaConfig} part. */
    public enum Section {
        MODEL("Model"), TOPICS("Topics"), FRAMES("Frames"), QUESTIONS("Questions and answers"),
        ENCODER("Vision encoder"), OPERATIONS("Operations");

        public final String title;

        Section(String title) {
            this.title = title;
        }
    }

    /**
     * One key. {@code value} is the default a missing key takes (null: none, or derived at start-up);
     * {@code shown} is what the reference prints for it when that is not the value itself.
     */
    public record Key(Section section, String name, String value, String shown, String meaning) {
        /** The default as the reference shows it. */
        public String shownDefault() {
            return shown != null ? shown : value;
        }
    }

    private static final List<Key> KEYS = new ArrayList<>();

    private static Key key(Section s, String name, Object value, String meaning) {
        return add(new Key(s, name, String.valueOf(value), null, meaning));
    }

    private static Key derived(Section s, String name, String shown, String meaning) {
        return add(new Key(s, name, null, shown, meaning));
    }

    private static Key add(Key k) {
        KEYS.add(k);
        return k;
    }

    // ---- model ---------------------------------------------------------------------------------
    public static final Key MODEL_DIR = derived(Section.MODEL, "vidqa.model.dir",
            "`vidqa run`: the world model, else the tiny fixture",
            "Hugging Face InstructBLIP(-video) checkpoint directory (safetensors)");
    public static final Key DEVICE = key(Section.MODEL, "vidqa.device", "auto", "`cpu`, `gpu` or `auto`");
    public static final Key TORCH_THREADS = derived(Section.MODEL, "vidqa.torch.threads",
            "cores / (`num.stream.threads` + 1), at least 1",
            "PyTorch intra-op threads of each thread that runs the model (set before the model loads, applied on"
                    + " every stream thread and the shared vision encoder's thread: OpenMP counts them per calling"
                    + " thread): they run the model at once, and more threads than cores spin-wait (2 on 2 busy cores"
                    + " ran 30x slower than 1)");

    // ---- topics --------------------------------------------------------------------------------
    public static final Key TOPIC_CHUNKS = key(Section.TOPICS, "vidqa.topic.chunks", Topics.DEFAULT.chunks().name(),
            "video chunks in (key: stream id)");
    public static final Key TOPIC_QUESTIONS = key(Section.TOPICS, "vidqa.topic.questions",
            Topics.DEFAULT.questions().name(), "questions in (key: stream id)");
    public static final Key TOPIC_ANSWERS = key(Section.TOPICS, "vidqa.topic.answers", Topics.DEFAULT.answers().name(),
            "answers out (key: stream id)");
    public static final Key TOPIC_DEAD_LETTERS = key(Section.TOPICS, "vidqa.topic.dead-letters",
            Topics.DEFAULT.deadLetters().name(), "records that could not be processed, unchanged, with reason headers");
    public static final Key TOPIC_WATCHES = key(Section.TOPICS, "vidqa.topic.watches", Topics.DEFAULT.watches().name(),
            "standing questions (compacted; key: watch id; a tombstone removes one)");
    public static final Key TOPIC_INCIDENTS = key(Section.TOPICS, "vidqa.topic.incidents",
            Topics.DEFAULT.incidents().name(), "incidents opened and closed by watches out (key: stream id)");
    public static final Key TOPIC_SOURCES = key(Section.TOPICS, "vidqa.topic.sources", Topics.DEFAULT.sources().name(),
            "cameras for `vidqa ingest --sources` workers (compacted; key: stream id; a tombstone removes one)");
    public static final Key TOPIC_SOURCE_STATUS = key(Section.TOPICS, "vidqa.topic.source-status",
            Topics.DEFAULT.sourceStatus().name(), "each camera's state as its worker sees it (compacted; key: stream id)");
    public static final Key TOPICS_CREATE = key(Section.TOPICS, "vidqa.topics.create", true,
            "create missing topics at start-up");
    public static final Key TOPICS_PARTITIONS = key(Section.TOPICS, "vidqa.topics.partitions", 4,
            "partitions of created topics (chunks and questions must match)");
    public static final Key TOPICS_REPLICATION = key(Section.TOPICS, "vidqa.topics.replication", 1,
            "replication factor of created topics");

    // ---- frames --------------------------------------------------------------------------------
    public static final Key STORE_FPS = key(Section.FRAMES, "vidqa.frames.store-fps", 2,
            "frames per second of stream time kept in the frame store (resized to the model input)");
    public static final Key RETENTION = key(Section.FRAMES, "vidqa.frames.retention-seconds", 600,
            "how far behind a stream's latest time frames are kept");
    public static final Key IDLE_EXPIRY = key(Section.FRAMES, "vidqa.frames.idle-expiry-seconds", 3600,
            "a stream that sends no chunk for this long (wall clock) is forgotten: its frames and its info");
    public static final Key MAX_CHUNK_BYTES = key(Section.FRAMES, "vidqa.decode.max-chunk-bytes",
            DecodeLimits.CHUNKS.maxBytes(), "larger chunks go to the dead-letter topic; the default is the largest"
                    + " chunk `vidqa ingest` sends, and the chunks topic (as vidqa creates it) takes no more than this"
                    + " plus 2 MiB, so a larger value never triggers");
    public static final Key MAX_FRAMES = key(Section.FRAMES, "vidqa.decode.max-frames", DecodeLimits.CHUNKS.maxFrames(),
            "decodable frames per chunk");
    public static final Key MAX_PIXELS = key(Section.FRAMES, "vidqa.decode.max-pixels", DecodeLimits.CHUNKS.maxPixels(),
            "pixels per frame (8K)");
    public static final Key MAX_HELD_PIXELS = key(Section.FRAMES, "vidqa.decode.max-held-pixels",
            DecodeLimits.CHUNKS.maxHeldPixels(), "pixels of the sampled frames one decode holds at once; larger"
                    + " frames are scaled down (box filter) as they are decoded so that a chunk's frames stay within it"
                    + " (96 MB of RGB)");
    public static final Key MAX_DECODE_SECONDS = key(Section.FRAMES, "vidqa.decode.max-seconds",
            DecodeLimits.CHUNKS.maxDecodeTime().toSeconds(), "wall-clock decode time per chunk");

    // ---- questions -----------------------------------------------------------------------------
    public static final Key QUESTION_WAIT = key(Section.QUESTIONS, "vidqa.questions.wait-seconds", 30,
            "how long a question waits for its frames before `no-frames` (or an answer over what arrived)");
    public static final Key CHECK_INTERVAL = key(Section.QUESTIONS, "vidqa.questions.check-interval-ms", 500,
            "how often waiting questions are re-checked");
    public static final Key BATCH_INTERVAL = key(Section.QUESTIONS, "vidqa.questions.batch-interval-ms", 10,
            "the beat on which ready questions are answered, together");
    public static final Key BATCH_LINGER = key(Section.QUESTIONS, "vidqa.questions.batch-linger-ms", 30,
            "how long a ready question may wait for others to fill its batch (0: answer at once)");
    public static final Key MAX_BATCH = key(Section.QUESTIONS, "vidqa.questions.max-batch", 8,
            "questions per language-model batch");
    public static final Key DEDUPE_HOURS = key(Section.QUESTIONS, "vidqa.questions.dedupe-hours", 24,
            "a question id seen again within this time is ignored");
    public static final Key DEFAULT_WINDOW = key(Section.QUESTIONS, "vidqa.questions.default-window-seconds", 10,
            "window of questions without one (the latest N seconds)");
    public static final Key WATCH_MAX_LAG = key(Section.QUESTIONS, "vidqa.watches.max-lag-seconds", 10,
            "a chunk stored more than this behind live (after its cut time, by the wall clock) makes no watch"
                    + " evaluation: its due ones are skipped and counted, so a backlog of chunks drains at decode speed"
                    + " and evaluations resume at live");

    /** {@code vidqa.answer.KEY}: the answer settings (defaults: {@link AnswerSettings#DEFAULTS}). */
    public static final String ANSWER_PREFIX = "vidqa.answer.";

    private static final Map<String, String> ANSWER_MEANINGS = Map.ofEntries(
            Map.entry("sampling", "`uniform`, `headtail` or `fps` (over the stored frames of the window)"),
            Map.entry("frames", "frames per question (`uniform`, `headtail`)"),
            Map.entry("fps", "for `fps` sampling"),
            Map.entry("max-frames", "the most frames `fps` sampling takes (bounds a long window's cost)"),
            Map.entry("beams", "beam width"),
            Map.entry("max-new-tokens", ""),
            Map.entry("min-new-tokens", ""),
            Map.entry("length-penalty", ""),
            Map.entry("repetition-penalty", ""),
            Map.entry("early-stopping", "end a beam search once `beams` answers are finished; the original"
                    + " evaluation does not (Hugging Face's default)"),
            Map.entry("prompt", "prompt template"),
            Map.entry("rank-chunk", "candidate answers scored per language-model pass"));

    static {
        Map<String, String> defaults = AnswerSettings.DEFAULTS.asKeys();
        for (String k : AnswerSettings.KEYS) {
            String v = defaults.get(k).replaceAll("^(-?\\d+)\\.0$", "$1"); // 1.0 -> 1, as one would write it
            add(new Key(Section.QUESTIONS, ANSWER_PREFIX + k, v, null, ANSWER_MEANINGS.get(k)));
        }
    }

    // ---- encoder -------------------------------------------------------------------------------
    public static final Key ENCODER_MAX_BATCH = key(Section.ENCODER, "vidqa.encoder.max-batch", 16,
            "frames per vision-encoder batch (dynamic batching across stream threads)");
    public static final Key ENCODER_MAX_WAIT = key(Section.ENCODER, "vidqa.encoder.max-wait-ms", 10,
            "how long a batch waits for more frames after its first");
    public static final Key CACHE_MB = key(Section.ENCODER, "vidqa.encoder.cache-mb", 1024,
            "feature cache (vision features by frame; ViT-g: 1.4 MB per frame)");

    // ---- operations ----------------------------------------------------------------------------
    public static final Key METRICS_PORT = key(Section.OPERATIONS, "vidqa.metrics.port", 9464,
            "the HTTP port: `/metrics` (Prometheus), `/health` and the live page; 0 disables");
    public static final Key LIVE_ENABLED = key(Section.OPERATIONS, "vidqa.live.enabled", true,
            "serve the live page (streams, watches, incidents, answers, ask box) on the HTTP port");
    public static final Key LIVE_MAX_CLIENTS = key(Section.OPERATIONS, "vidqa.live.max-clients", 8,
            "pages connected at once (each holds an event stream and a thread); more are refused with 503");
    public static final Key LIVE_RECENT = key(Section.OPERATIONS, "vidqa.live.recent", 50,
            "answers and incidents the page shows (read back from their topics at start-up, then live)");

    /** Every key, section by section in the order declared. */
    public static List<Key> all() {
        return List.copyOf(KEYS);
    }

    /** Whether {@code name} is one of the application's keys. */
    public static boolean known(String name) {
        return KEYS.stream().anyMatch(k -> k.name().equals(name));
    }

    /**
     * A Kafka Streams setting vidqa gives a default different from Kafka's (any may be overridden):
     * the value and why.
     */
    public record StreamsDefault(String name, String value, String why) {}

    /** The Kafka Streams settings vidqa sets unless the configuration says otherwise. */
    public static final List<StreamsDefault> STREAMS_DEFAULTS = List.of(
            new StreamsDefault("application.id", "vidqa", ""),
            new StreamsDefault("bootstrap.servers", "127.0.0.1:9092", ""),
            new StreamsDefault("processing.guarantee", "exactly_once_v2",
                    "no question answered twice or lost across crashes"),
            // A replacement for a crashed instance with empty local state gets new transactional ids and
            // cannot fence the dead producer: its open transaction blocks the changelogs and inputs until
            // the broker aborts it after this timeout.
            new StreamsDefault("producer.transaction.timeout.ms", "30000", "a crashed instance's open transaction"
                    + " blocks its replacement until the broker aborts it after this long (a replacement with empty"
                    + " local state cannot fence it): short, so answers resume within 90 s; one model batch must"
                    + " finish well within it (raise it for slow models, at the cost of recovery time)"),
            new StreamsDefault("consumer.session.timeout.ms", "10000", "how soon a dead member's partitions move"
                    + " (heartbeats run on a background thread, so model calls do not end a live session)"),
            new StreamsDefault("consumer.heartbeat.interval.ms", "3000", ""),
            new StreamsDefault("consumer.max.poll.interval.ms", "600000",
                    "a model call can take seconds: polls stay alive across it"),
            new StreamsDefault("consumer.max.poll.records", "50", ""),
            new StreamsDefault("producer.max.request.size", Integer.toString(TopicAdmin.MAX_MESSAGE_BYTES),
                    "dead-lettered chunks can be large (a value that would not fit is left out of the dead letter)"),
            new StreamsDefault("processing.exception.handler.global.enabled", "true",
                    "the processing exception handler covers global-table processors too (Kafka Streams 5.0's default)"));

    /** Typed, checked reads of {@code vidqa.*} values with the key in every error; a missing key takes its default. */
    record Reader(Properties p) {
        String str(Key k) {
            String v = p.getProperty(k.name());
            return v == null || v.isBlank() ? k.value() : v.trim();
        }

        int integer(Key k) {
            return parse(k, Integer::parseInt, "an integer");
        }

        long lng(Key k) {
            return parse(k, Long::parseLong, "an integer");
        }

        double dbl(Key k) {
            return parse(k, Double::parseDouble, "a number");
        }

        private <T> T parse(Key k, java.util.function.Function<String, T> parser, String what) {
            String v = str(k);
            try {
                return parser.apply(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(k.name() + " must be " + what + ", got '" + v + "'");
            }
        }

        java.time.Duration seconds(Key k) {
            return java.time.Duration.ofMillis(Math.round(dbl(k) * 1000));
        }

        java.time.Duration millis(Key k) {
            return java.time.Duration.ofMillis(lng(k));
        }

        boolean bool(Key k) {
            String v = str(k);
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(k.name() + " must be true or false, got '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }
    }
}
