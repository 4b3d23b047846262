package dev.vidqa.topology.client;

import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads committed answers from the answers topic, starting at its current end (call before the
 * questions are sent) or at its beginning. Only answers of committed transactions are seen, so an
 * answer rolled back by a crash never shows.
 */
public final class AnswerWatcher implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;

    public AnswerWatcher(Properties client, String topic, boolean fromBeginning) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vidqa-watch-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(Clients.consumerOnly(p));
        List<TopicPartition> parts = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        for (PartitionInfo pi : infos) {
            parts.add(new TopicPartition(topic, pi.partition()));
        }
        consumer.assign(parts);
        if (fromBeginning) {
            consumer.seekToBeginning(parts);
        } else {
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // resolve the end offsets now, before questions are sent
        }
    }

    /** Every answer read within {@code timeout}, in arrival order, handing each to {@code each} too. */
    public List<AnswerRecord> poll(Duration timeout, Consumer<AnswerRecord> each) {
        List<AnswerRecord> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            AnswerRecord a = Json.answer(r.value());
            out.add(a);
            each.accept(a);
        }
        return out;
    }

    /**
     * Waits until an answer for each of {@code questionIds} arrived or {@code timeout} passed; returns
     * them by question id (first answer of each; later duplicates are counted in {@code duplicates}).
     */
    public Map<String, AnswerRecord> await(Collection<String> questionIds, Duration timeout, Consumer<AnswerRecord> each,
                                           List<AnswerRecord> duplicates) {
        Set<String> wanted = new HashSet<>(questionIds);
        Map<String, AnswerRecord> got = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < wanted.size() && System.nanoTime() < deadline) {
            for (AnswerRecord a : poll(Duration.ofMillis(200), x -> { })) {
                if (!wanted.contains(a.questionId())) {
                    continue;
                }
                if (got.containsKey(a.questionId())) {
                    if (duplicates != null) {
                        duplicates.add(a);
                    }
                } else {
                    got.put(a.questionId(), a);
                    each.accept(a);
                }
            }
        }
        return got;
    }

    /**
     * Keeps reading for {@code grace} after the first answers are in, adding any further answer to
     * one of {@code questionIds} to {@code duplicates}: a duplicate can be committed after the
     * last first answer, and counting stops too early without this.
     */
    public void collectDuplicates(Collection<String> questionIds, Duration grace, List<AnswerRecord> duplicates) {
        Set<String> wanted = new HashSet<>(questionIds);
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            for (AnswerRecord a : poll(Duration.ofMillis(200), x -> { })) {
                if (wanted.contains(a.questionId())) {
                    duplicates.add(a);
                }
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
