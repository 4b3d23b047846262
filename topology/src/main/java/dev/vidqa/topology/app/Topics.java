package dev.vidqa.topology.app;

import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.IncidentRecord;
import dev.vidqa.topology.records.Json;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The application's topics, each a name with its serdes. Chunks, questions and dead letters are
 * read as raw bytes so that a record that cannot be understood still reaches the dead-letter
 * topic exactly as it came.
 */
public record Topics(Topic<byte[], byte[]> chunks, Topic<byte[], byte[]> questions, Topic<String, AnswerRecord> answers,
                     Topic<byte[], byte[]> deadLetters, Topic<String, byte[]> watches,
                     Topic<String, IncidentRecord> incidents, Topic<String, byte[]> sources,
                     Topic<String, byte[]> sourceStatus) {

    /** A topic name with the serdes of its keys and values. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}

    public static final Topics DEFAULT = new Topics("vidqa.chunks", "vidqa.questions", "vidqa.answers",
            "vidqa.dead-letters", "vidqa.watches", "vidqa.incidents", "vidqa.sources", "vidqa.source-status");

    public Topics(String chunks, String questions, String answers, String deadLetters, String watches,
                  String incidents, String sources, String sourceStatus) {
        this(new Topic<>(chunks, Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>(questions, Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>(answers, Serdes.String(), Json.serde(AnswerRecord.class)),
                new Topic<>(deadLetters, Serdes.ByteArray(), Serdes.ByteArray()),
                // watches: compacted, key = watch id (read whole into every instance: not co-partitioned)
                new Topic<>(watches, Serdes.String(), Serdes.ByteArray()),
                new Topic<>(incidents, Serdes.String(), Json.serde(IncidentRecord.class)),
                // cameras (compacted, key = stream id) shared by the ingest workers, and their state
                new Topic<>(sources, Serdes.String(), Serdes.ByteArray()),
                new Topic<>(sourceStatus, Serdes.String(), Serdes.ByteArray()));
    }
}
