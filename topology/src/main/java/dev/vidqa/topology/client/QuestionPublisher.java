package dev.vidqa.topology.client;

import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionRecord;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends questions, keyed by their stream id. */
public final class QuestionPublisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public QuestionPublisher(Properties client, String topic) {
        Properties p = Clients.producerOnly(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    public void send(QuestionRecord q) throws InterruptedException, ExecutionException {
        producer.send(new ProducerRecord<>(topic, q.streamId().getBytes(StandardCharsets.UTF_8), Json.write(q))).get();
    }

    /** Sends many questions at once (pipelined), returning when the broker has all of them. */
    public void sendAll(java.util.List<QuestionRecord> questions) throws InterruptedException, ExecutionException {
        java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        for (QuestionRecord q : questions) {
            sent.add(producer.send(new ProducerRecord<>(topic, q.streamId().getBytes(StandardCharsets.UTF_8), Json.write(q))));
        }
        for (var f : sent) {
            f.get();
        }
    }

    /** Any bytes, for malformed-input tests. */
    public void sendRaw(String key, byte[] value) throws InterruptedException, ExecutionException {
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
