package dev.vidqa.topology.app;

import dev.vidqa.topology.pipeline.QaEngine;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/** The streaming application's topology, in data-flow order. */
public final class VidqaTopology {
    private VidqaTopology() {}

    public static Topology build(VidqaConfig config, QaEngine engine, VidqaMetrics metrics) {
        Topics topics = config.topics();
        Topology t = new Topology();
        // chunks and questions, both keyed by stream id: co-partitioned, so one task sees both
        t.addSource("chunks", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.chunks().name());
        t.addSource("questions", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.questions().name());
        t.addProcessor("video-qa", () -> new VideoQaProcessor(config, engine, metrics), "chunks", "questions");
        // durable state: frames at the model's input size, stream spans, waiting and answered questions
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VideoQaProcessor.FRAMES_STORE),
                        Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(8 << 20))), "video-qa");
        // the small stores are cached: what changes within one commit interval (a question parked and
        // answered, a stream's info rewritten per chunk) reaches RocksDB and the changelog once, at the
        // commit, or not at all (a put and its delete cancel) -- the broker's work per question halves
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VideoQaProcessor.STREAMS_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "video-qa");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VideoQaProcessor.PENDING_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "video-qa");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VideoQaProcessor.ANSWERED_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), "video-qa");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VideoQaProcessor.WATCH_STATE_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "video-qa");
        // the standing questions, all of them in every instance (keyed by watch id, not by stream)
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VideoQaProcessor.WATCHES_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(), "watches",
                new StringDeserializer(), new ByteArrayDeserializer(), topics.watches().name(), "watches-store",
                WatchStoreUpdater::new);
        // answers, incidents and dead letters out
        t.addSink(VideoQaProcessor.ANSWERS_SINK, topics.answers().name(), new ByteArraySerializer(),
                new ByteArraySerializer(), "video-qa");
        t.addSink(VideoQaProcessor.INCIDENTS_SINK, topics.incidents().name(), new ByteArraySerializer(),
                new ByteArraySerializer(), "video-qa");
        t.addSink(VideoQaProcessor.DEAD_LETTERS_SINK, topics.deadLetters().name(), new ByteArraySerializer(),
                new ByteArraySerializer(), "video-qa");
        return t;
    }
}
