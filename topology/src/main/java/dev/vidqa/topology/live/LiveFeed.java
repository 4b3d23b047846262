package dev.vidqa.topology.live;

import dev.vidqa.ingest.ClientSettings;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.IncidentRecord;
import dev.vidqa.topology.records.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest answers and incidents, read from their topics (committed records only, so nothing a
 * crash rolled back shows): the last {@code recent} of each partition at start, then every new one,
 * each also sent to the connected pages. Every instance reads all of them (no consumer group), so
 * any instance's page shows every stream's.
 */
public final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String answersTopic;
    private final String incidentsTopic;
    private final int recent;
    private final EventHub hub;
    private final Deque<AnswerRecord> answers = new ArrayDeque<>();
    /** By watch, stream and start: a closed record replaces its open one. */
    private final Map<String, IncidentRecord> incidents = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public LiveFeed(Properties client, String answersTopic, String incidentsTopic, int recent, EventHub hub) {
        Properties p = new Properties();
        p.putAll(ClientSettings.consumerOnly(client));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.answersTopic = answersTopic;
        this.incidentsTopic = incidentsTopic;
        this.recent = recent;
        this.hub = hub;
        this.thread = new Thread(this::run, "vidqa-live-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> parts = new ArrayList<>();
            parts.addAll(partitions(answersTopic));
            parts.addAll(partitions(incidentsTopic));
            consumer.assign(parts);
            // the last `recent` of each partition: history for a page opened now, bounded however old the topics
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
            consumer.endOffsets(parts).forEach((tp, end) -> consumer.seek(tp, Math.max(begin.get(tp), end - recent)));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    take(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("the live page's feed of answers and incidents stopped", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> partitions(String topic) {
        while (running) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            }
        }
        return List.of();
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        String json = new String(r.value(), StandardCharsets.UTF_8);
        try {
            if (r.topic().equals(answersTopic)) {
                AnswerRecord a = Json.STATE.readValue(r.value(), AnswerRecord.class);
                synchronized (this) {
                    answers.addLast(a);
                    while (answers.size() > recent) {
                        answers.removeFirst();
                    }
                }
                hub.publish("answer", json);
            } else {
                IncidentRecord i = Json.STATE.readValue(r.value(), IncidentRecord.class);
                synchronized (this) {
                    incidents.remove(key(i)); // re-inserted last: the newest change is last
                    incidents.put(key(i), i);
                    while (incidents.size() > recent) {
                        incidents.remove(incidents.keySet().iterator().next());
                    }
                }
                hub.publish("incident", json);
            }
        } catch (IOException e) {
            LOG.debug("not shown on the live page: {}-{}@{} is not a record it knows", r.topic(), r.partition(), r.offset());
        }
    }

    static String key(IncidentRecord i) {
        return i.watchId() + "\u0000" + i.streamId() + "\u0000" + i.from();
    }

    /** The latest answers, oldest first. */
    public synchronized List<AnswerRecord> answers() {
        return List.copyOf(answers);
    }

    /** The latest incidents, each in its newest state, in the order they last changed. */
    public synchronized List<IncidentRecord> incidents() {
        return List.copyOf(incidents.values());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
