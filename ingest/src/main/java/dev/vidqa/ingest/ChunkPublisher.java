package dev.vidqa.ingest;

import dev.vidqa.frames.DecodeLimits;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces chunks to the chunks topic, keyed by stream id, metadata in headers. */
public final class ChunkPublisher implements AutoCloseable {
    /** The largest chunk sent: what a chunk's decode accepts ({@link DecodeLimits#CHUNKS}); the topic is created to take it. */
    public static final int MAX_CHUNK_BYTES = Math.toIntExact(DecodeLimits.CHUNKS.maxBytes());

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public ChunkPublisher(Properties kafka, String topic) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_CHUNK_BYTES + (1 << 20)));
        p.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(4L * MAX_CHUNK_BYTES));
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /** Sends a chunk and waits until the broker has it. */
    public RecordMetadata publish(Chunk c) throws InterruptedException, ExecutionException {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, c.streamId(), c.data());
        ChunkHeaders.write(r.headers(), c);
        return producer.send(r).get();
    }

    /** Sends any record (tests use it for malformed chunks). */
    public RecordMetadata publishRaw(String streamId, byte[] data, String... headers)
            throws InterruptedException, ExecutionException {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, streamId, data);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return producer.send(r).get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
