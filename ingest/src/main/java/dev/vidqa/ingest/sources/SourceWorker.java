package dev.vidqa.ingest.sources;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.ClientSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code vidqa ingest --sources}: one of the ingest workers of a consumer group. The group shares
 * the partitions of the compacted sources topic, so each source is ingested by exactly one live
 * worker; when a worker dies (or a new one joins) the rebalance moves its sources. A worker reads
 * its partitions from the beginning whenever it gets them (the compacted topic is the table of
 * sources), starts the enabled ones and follows changes: a new URL restarts a source, a tombstone
 * or {@code "enabled": false} stops it.
 */
public final class SourceWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceWorker.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Where the worker reads and writes, and who it is. */
    public record Settings(String sourcesTopic, String statusTopic, String chunksTopic, String group, String worker,
                           double firstBackoffSeconds) {}

    /** Who else hears of every change of a source's state (metrics); called on the sources' threads. */
    private volatile java.util.function.Consumer<SourceStatus> observer = x -> { };

    public void observe(java.util.function.Consumer<SourceStatus> o) {
        this.observer = o;
    }

    private final Settings s;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> statusProducer;
    private final ChunkPublisher chunks;
    /** Running sources by stream id, with the partition their record is on. */
    private final Map<String, SourceRunner> running = new ConcurrentHashMap<>();
    private final Map<String, Integer> partitionOf = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public SourceWorker(Properties client, Settings s) {
        this.s = s;
        Properties c = new Properties();
        c.putAll(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, s.group());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // the whole partition is read on every assignment
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000"); // a dead worker's cameras move soon
        c.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        this.consumer = new KafkaConsumer<>(ClientSettings.consumerOnly(c));
        Properties p = ClientSettings.producerOnly(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.statusProducer = new KafkaProducer<>(p);
        this.chunks = new ChunkPublisher(ClientSettings.producerOnly(client), s.chunksTopic());
    }

    /** The stream ids this worker ingests now. */
    public Set<String> sources() {
        return Set.copyOf(running.keySet());
    }

    /** Runs until {@link #close} (from another thread). */
    public void run() {
        consumer.subscribe(List.of(s.sourcesTopic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                for (TopicPartition tp : parts) {
                    partitionOf.entrySet().removeIf(e -> {
                        if (e.getValue() == tp.partition()) {
                            stop(e.getKey());
                            return true;
                        }
                        return false;
                    });
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                consumer.seekToBeginning(parts); // the compacted topic is the table: read it whole
                LOG.info("worker {} got source partitions {}", s.worker(), parts);
            }
        });
        try {
            while (!closed.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
            }
        } catch (WakeupException e) {
            if (!closed.get()) {
                throw e;
            }
        } finally {
            running.keySet().forEach(this::stop);
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        String id = r.key();
        if (id == null) {
            return;
        }
        SourceRecord source = null;
        if (r.value() != null) {
            try {
                source = JSON.readValue(r.value(), SourceRecord.class);
                source.validate();
                if (!id.equals(source.streamId())) {
                    throw new IllegalArgumentException("streamId '" + source.streamId() + "' differs from the key '" + id + "'");
                }
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("source {} cannot be ingested: {}", id, e.getMessage());
                source = null;
            }
        }
        SourceRunner old = running.get(id);
        if (old != null && source != null && source.isEnabled() && old.source.equals(source)) {
            return; // unchanged (read again after a rebalance)
        }
        if (old != null) {
            stop(id);
        }
        if (source != null && source.isEnabled()) {
            SourceRunner runner = new SourceRunner(source, chunks::publish, this::publishStatus, s.worker(),
                    s.firstBackoffSeconds());
            running.put(id, runner);
            partitionOf.put(id, r.partition());
            runner.start();
            LOG.info("worker {} ingests {} from {}", s.worker(), id, source.url());
        }
    }

    private void stop(String id) {
        SourceRunner r = running.remove(id);
        if (r != null) {
            r.stop();
        }
    }

    private void publishStatus(SourceStatus status) {
        observer.accept(status);
        try {
            statusProducer.send(new ProducerRecord<>(s.statusTopic(), status.streamId(), JSON.writeValueAsBytes(status)));
        } catch (IOException e) {
            LOG.warn("status of {} not published: {}", status.streamId(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            consumer.wakeup();
        }
    }

    /** After {@link #run} returned: flushes what is still on its way. */
    public void release() {
        statusProducer.close(Duration.ofSeconds(5));
        chunks.close();
    }
}
