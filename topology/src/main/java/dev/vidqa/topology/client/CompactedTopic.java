package dev.vidqa.topology.client;

import dev.vidqa.topology.records.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A compacted topic as a table of JSON values (the watches, the sources): put a value under its key
 * (replacing the one there), remove it (a tombstone), list what is there now.
 */
public final class CompactedTopic<T> {
    private final Properties client;
    private final String topic;
    private final Class<T> type;

    public CompactedTopic(Properties client, String topic, Class<T> type) {
        this.client = client;
        this.topic = topic;
        this.type = type;
    }

    public void put(String key, T value) throws InterruptedException, ExecutionException {
        send(key, Json.write(value));
    }

    /** A tombstone: the key is gone once compacted, and for every reader at once. */
    public void remove(String key) throws InterruptedException, ExecutionException {
        send(key, null);
    }

    private void send(String key, byte[] value) throws InterruptedException, ExecutionException {
        Properties p = Clients.producerOnly(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Every value now in the topic, by key (the latest record of each key; removed ones left out). */
    public Map<String, T> list(Duration timeout) throws IOException {
        Map<String, T> out = new TreeMap<>();
        readAll(client, topic, timeout, r -> {
            if (r.key() == null) {
                return;
            }
            if (r.value() == null) {
                out.remove(r.key());
            } else {
                out.put(r.key(), Json.MAPPER.readValue(new String(r.value(), StandardCharsets.UTF_8), type));
            }
        });
        return out;
    }

    /** What to do with each record read. */
    public interface RecordHandler {
        void accept(ConsumerRecord<String, byte[]> record) throws IOException;
    }

    /**
     * Reads every committed record of {@code topic} from the beginning to its end as it is now, in
     * order per partition; fails when that takes longer than {@code timeout}.
     */
    public static void readAll(Properties client, String topic, Duration timeout, RecordHandler each) throws IOException {
        Properties p = Clients.consumerOnly(client);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // incidents are written in transactions
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            var parts = consumer.partitionsFor(topic, timeout).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("reading " + topic + " took longer than " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(r);
                }
            }
        }
    }
}
