package dev.vidqa.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.cli.Vidqa;
import dev.vidqa.topology.kafka.EmbeddedKafka;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands an operator runs against a cluster: vidqa broker's storage, ask --questions, answers. */
class OperatorCommandsIT {
    @TempDir
    Path tmp;

    /** Runs the CLI with its standard output captured. */
    static String[] run(int expectedCode, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Vidqa.run(args);
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, String.join(" ", args) + " printed: " + text);
        return text.lines().filter(l -> !l.isBlank()).toArray(String[]::new);
    }

    @Test
    void manyQuestionsArePublishedAtOnceAndTheirAnswersPrintedAsTheyAreCommitted() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put("application.id", "ops");
            p.put("state.dir", tmp.resolve("state").toString());
            p.put("vidqa.questions.wait-seconds", "2");
            p.put("vidqa.questions.check-interval-ms", "200");
            p.put("vidqa.metrics.port", "0");
            p.put("vidqa.device", "cpu");
            Path config = tmp.resolve("vidqa.properties");
            try (OutputStream o = Files.newOutputStream(config)) {
                p.store(o, null);
            }
            VidqaConfig c = VidqaConfig.from(p);
            Path questions = tmp.resolve("questions.jsonl");
            Files.write(questions, List.of(
                    "{\"id\": \"ops-1\", \"streamId\": \"nowhere\", \"question\": \"what is there?\"}",
                    "{\"id\": \"ops-2\", \"streamId\": \"nowhere\", \"question\": \"is it empty?\", \"candidates\": [\"yes\", \"no\"]}",
                    "",
                    "{\"id\": \"ops-3\", \"question\": \"and here?\"}"));
            try (ModelQaEngine engine = VidqaApp.engine(c, InstructBlipVideo.load(RepoPaths.tinyT5(), DeviceChoice.CPU));
                 VidqaApp app = VidqaApp.start(c, engine, new SimpleMeterRegistry())) {
                assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
                String[] ids = run(0, "ask", "--config", config.toString(), "--questions", questions.toString(),
                        "--stream-id", "elsewhere", "--no-wait");
                assertEquals(List.of("ops-1", "ops-2", "ops-3"), List.of(ids), "published, ids printed, nothing awaited");
                String[] lines = run(0, "answers", "--config", config.toString(), "--from-beginning", "--count", "3",
                        "--timeout", "90s", "--json");
                assertEquals(3, lines.length);
                List<AnswerRecord> answers = java.util.Arrays.stream(lines)
                        .map(l -> Json.answer(l.getBytes(StandardCharsets.UTF_8))).toList();
                assertEquals(Set.of("ops-1", "ops-2", "ops-3"), answers.stream().map(AnswerRecord::questionId)
                        .collect(Collectors.toSet()));
                assertTrue(answers.stream().allMatch(a -> AnswerRecord.NO_FRAMES.equals(a.status())), answers.toString());
                assertEquals("elsewhere", answers.stream().filter(a -> a.questionId().equals("ops-3")).findFirst()
                        .orElseThrow().streamId(), "--stream-id fills in a record without one");
                // a bad line stops the whole file before anything is sent
                Files.write(questions, List.of("{\"id\": \"ops-4\", \"streamId\": \"s\", \"question\": \"ok?\"}",
                        "{\"id\": \"ops-5\", \"streamId\": \"s\", \"question\": \"\"}"));
                run(5, "ask", "--config", config.toString(), "--questions", questions.toString(), "--no-wait");
                run(6, "answers", "--config", config.toString(), "--count", "1", "--timeout", "3s");
            }
        }
    }

    @Test
    void theBrokersDataDirectoryKeepsTopicsAcrossARestart() throws Exception {
        Path dir = tmp.resolve("kafka-data");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir)) {
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            try (Admin admin = Admin.create(p)) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                producer.send(new ProducerRecord<>("kept", "k", "still here")).get();
            }
        }
        assertTrue(Files.isDirectory(dir.resolve("logs")), "the data directory stays");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir)) {
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "check");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put("key.deserializer", StringDeserializer.class.getName());
            p.put("value.deserializer", StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(List.of("kept"));
                String value = null;
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (value == null && System.nanoTime() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        value = r.value();
                    }
                }
                assertEquals("still here", value);
            }
        }
    }

    @Test
    void watchesAreAddedListedAndRemovedByIdAndABadOneIsRefused() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String b = kafka.bootstrapServers();
            // the topics as vidqa run creates them (the watches topic compacted)
            dev.vidqa.topology.app.TopicAdmin.ensure(dev.vidqa.topology.client.Clients.bootstrap(b),
                    dev.vidqa.topology.app.Topics.DEFAULT, 1, (short) 1);
            run(0, "watch", "add", "--bootstrap-servers", b, "--id", "door", "--stream-pattern", "bay-*",
                    "--question", "is the door open?", "--fires-on", "yes", "--every", "2", "--open", "2");
            run(0, "watch", "add", "--bootstrap-servers", b, "--id", "people", "--stream-id", "lobby",
                    "--question", "how many people are there?", "--fires-unless", "0");
            // the same id again replaces it
            run(0, "watch", "add", "--bootstrap-servers", b, "--id", "door", "--stream-pattern", "bay-*",
                    "--question", "is the loading-bay door open?", "--fires-on", "yes");
            String[] listed = run(0, "watch", "list", "--bootstrap-servers", b);
            assertEquals(2, listed.length, String.join("\n", listed));
            assertTrue(listed[0].contains("\"id\":\"door\"") && listed[0].contains("loading-bay"), listed[0]);
            assertTrue(listed[1].contains("\"answersNot\":[\"0\"]"), listed[1]);
            run(0, "watch", "remove", "--bootstrap-servers", b, "door");
            listed = run(0, "watch", "list", "--bootstrap-servers", b);
            assertEquals(1, listed.length);
            assertTrue(listed[0].contains("\"id\":\"people\""), listed[0]);
            // a watch that could never run is refused before it reaches the topic (exit 5: the request)
            run(5, "watch", "add", "--bootstrap-servers", b, "--id", "fast", "--stream-id", "x", "--question", "?",
                    "--fires-on", "yes", "--every", "0.1");
            assertEquals(1, run(0, "watch", "list", "--bootstrap-servers", b).length);
        }
    }
}
