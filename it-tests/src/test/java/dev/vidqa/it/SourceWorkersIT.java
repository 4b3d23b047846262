package dev.vidqa.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidqa.ingest.sources.SourceWorker;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.topology.app.TopicAdmin;
import dev.vidqa.topology.app.Topics;
import dev.vidqa.topology.cli.Vidqa;
import dev.vidqa.topology.client.Clients;
import dev.vidqa.topology.kafka.EmbeddedKafka;
import dev.vidqa.topology.records.Json;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Camera sources shared by ingest workers through a consumer group, reconnected, with their state published. */
class SourceWorkersIT {
    @Test
    void workersShareTheSourcesAndADeadWorkersCamerasMoveToTheOther() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String b = kafka.bootstrapServers();
            Properties client = Clients.bootstrap(b);
            TopicAdmin.ensure(client, Topics.DEFAULT, 2, (short) 1);
            String clip = RepoPaths.root().resolve("topology/models/vidqa-world-t5/samples/clips/000001.mp4").toString();
            assertEquals(0, Vidqa.run("source", "add", "--bootstrap-servers", b, "--stream-id", "cam-a", "--url", clip));
            assertEquals(0, Vidqa.run("source", "add", "--bootstrap-servers", b, "--stream-id", "cam-bad", "--url",
                    "rtsp://127.0.0.1:1/nothing-listens-here"));

            Map<String, JsonNode> status = new ConcurrentHashMap<>();
            Set<String> chunkStreams = ConcurrentHashMap.newKeySet();
            Thread reader = follow(b, status, chunkStreams);
            SourceWorker one = worker(client, "one");
            Thread t1 = start(one);
            await(() -> chunkStreams.contains("cam-a"), "cam-a's chunks reach the chunks topic");
            await(() -> status.containsKey("cam-bad") && "reconnecting".equals(status.get("cam-bad").path("state").asText()),
                    "a camera that cannot be reached is reconnecting");
            assertTrue(status.get("cam-bad").path("reason").asText().length() > 0, status.get("cam-bad").toString());
            assertTrue(status.get("cam-bad").path("retryInSeconds").asDouble() >= 1.0);
            // refused three times in a row: down, not a passing drop (tried 1 + 2 s later; then every 4, 8, ... 60 s)
            await(() -> "failed".equals(status.get("cam-bad").path("state").asText()),
                    "a camera refused again and again is failed, with the reason");
            assertTrue(status.get("cam-bad").path("reason").asText().length() > 0, status.get("cam-bad").toString());
            assertTrue(status.containsKey("cam-a") && chunkStreams.contains("cam-a"), "the other camera is unaffected");
            await(() -> status.containsKey("cam-a") && !status.get("cam-a").path("worker").asText().isEmpty(),
                    "cam-a's state is published");
            assertEquals(Set.of("cam-a", "cam-bad"), one.sources(), "alone, the worker ingests every source");

            SourceWorker two = worker(client, "two");
            Thread t2 = start(two);
            await(() -> !two.sources().isEmpty() && one.sources().size() + two.sources().size() == 2
                    && disjoint(one.sources(), two.sources()), "two workers share the sources, each once");
            // the worker with cam-a dies: its cameras move to the other
            SourceWorker holder = one.sources().contains("cam-a") ? one : two;
            SourceWorker other = holder == one ? two : one;
            holder.close();
            (holder == one ? t1 : t2).join(20_000);
            holder.release();
            await(() -> other.sources().equals(Set.of("cam-a", "cam-bad")), "the other worker takes every source over");
            other.close();
            (other == one ? t1 : t2).join(20_000);
            other.release();
            reader.interrupt();
        }
    }

    static boolean disjoint(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both.isEmpty();
    }

    static SourceWorker worker(Properties client, String name) {
        return new SourceWorker(client, new SourceWorker.Settings(Topics.DEFAULT.sources().name(),
                Topics.DEFAULT.sourceStatus().name(), Topics.DEFAULT.chunks().name(), "it-ingest", name, 1.0));
    }

    static Thread start(SourceWorker w) {
        Thread t = new Thread(w::run, "worker");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Reads the status and chunks topics into the maps as records arrive. */
    static Thread follow(String bootstrap, Map<String, JsonNode> status, Set<String> chunkStreams) {
        Thread t = new Thread(() -> {
            Properties p = Clients.bootstrap(bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-follow");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
                c.subscribe(List.of(Topics.DEFAULT.sourceStatus().name(), Topics.DEFAULT.chunks().name()));
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(Topics.DEFAULT.chunks().name())) {
                            chunkStreams.add(r.key());
                        } else if (r.value() != null) {
                            status.put(r.key(), Json.MAPPER.readTree(r.value()));
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // done
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, "follow");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
