package dev.vidqa.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.answerer.Answer;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.ingest.ChunkHeaders;
import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.app.DeadLetterWriter;
import dev.vidqa.topology.app.VideoQaProcessor;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import dev.vidqa.topology.pipeline.VideoQa;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import dev.vidqa.topology.app.AppServer;
import dev.vidqa.topology.cli.Vidqa;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The streaming application against a real broker (Testcontainers or in-process, see
 * {@link Broker}): the sample video in chunks, the tiny checkpoint, real answers.
 */
class StreamingIT extends BrokerTest {
    static final Path VIDEO = RepoPaths.sampleVideo();
    static final Path MODEL = RepoPaths.tinyT5();
    static final Duration WAIT = Duration.ofSeconds(120);

    /** A configuration with topics and application id of its own, so tests do not see each other. */
    Properties props(String name, String... extra) {
        String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("application.id", prefix);
        p.put("state.dir", tmp.resolve(prefix + "-state").toString());
        p.put("vidqa.topic.chunks", prefix + ".chunks");
        p.put("vidqa.topic.questions", prefix + ".questions");
        p.put("vidqa.topic.answers", prefix + ".answers");
        p.put("vidqa.topic.dead-letters", prefix + ".dead-letters");
        p.put("vidqa.topics.partitions", "2");
        p.put("vidqa.questions.wait-seconds", "4");
        p.put("vidqa.questions.check-interval-ms", "200");
        p.put("vidqa.model.dir", MODEL.toString());
        p.put("vidqa.device", "cpu");
        p.put("vidqa.metrics.port", "0");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    static ModelQaEngine engine(VidqaConfig c) {
        return VidqaApp.engine(c, InstructBlipVideo.load(MODEL, DeviceChoice.CPU));
    }

    static void ingest(VidqaConfig c, String stream, Path file) throws Exception {
        try (ChunkPublisher pub = new ChunkPublisher(client(), c.topics().chunks().name())) {
            new Ingestor(new Chunker(2.0), pub::publish).ingest(stream, file.toString());
        }
    }

    @Test
    void aRealVideoInChunksIsAnsweredExactlyAsTheCommandLineAnswersTheSameFrames() throws Exception {
        VidqaConfig c = VidqaConfig.from(props("real"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ModelQaEngine engine = engine(c); VidqaApp app = VidqaApp.start(c, engine, registry);
             AppServer metrics = new AppServer(0, registry, app::health);
             AnswerWatcher watcher = new AnswerWatcher(client(), c.topics().answers().name(), false);
             QuestionPublisher ask = new QuestionPublisher(client(), c.topics().questions().name())) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "app running");
            List<QuestionRecord> qs = List.of(
                    new QuestionRecord("clip", "city", "what is happening in the street?", Window.clip("cityCC0.mpg"), null, null),
                    new QuestionRecord("span", "city", "what is moving?", Window.range(1, 5),
                            List.of("cars", "people", "a dog"), null));
            for (QuestionRecord q : qs) {
                ask.send(q);
            }
            ingest(c, "city", VIDEO);
            Map<String, AnswerRecord> got = watcher.await(List.of("clip", "span"), WAIT, a -> { }, null);
            assertEquals(2, got.size(), "both answered: " + got);
            List<DecodedFrame> whole = new VideoDecoder().decodeAll(new VideoSource.File(VIDEO));
            VideoQa cli = new VideoQa(engine.model(), new VideoDecoder());
            for (QuestionRecord q : qs) {
                AnswerRecord a = got.get(q.id());
                assertEquals(AnswerRecord.OK, a.status(), a.toString());
                assertEquals(4, a.frameTimestamps().size());
                // the very frames the stream used, decoded from the original file
                List<DecodedFrame> frames = new ArrayList<>();
                for (double t : a.frameTimestamps()) {
                    frames.add(whole.stream().filter(f -> Math.abs(f.timestamp() - t) < 1e-3).findFirst()
                            .orElseThrow(() -> new AssertionError("no frame at " + t + " s")));
                }
                Answer direct = cli.answer(frames, q.question(), q.candidates(), c.answerOptions());
                assertEquals(direct.text(), a.answer(), q.id());
                assertEquals(direct.score(), a.score(), 1e-4, q.id());
                if (q.candidates() != null) {
                    assertEquals(direct.candidates().stream().map(Answer.RankedCandidate::text).toList(),
                            a.candidates().stream().map(AnswerRecord.Candidate::answer).toList());
                }
            }
            assertEquals("tiny-instructblip-video-t5", got.get("clip").model());

            // the scrape endpoint shows the application's meters and the Kafka Streams client's
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + metrics.port();
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            String text = scrape.body();
            assertTrue(text.contains("vidqa_answers_total{status=\"ok\"} 2.0"), "answers by status");
            // registered meters are recorded too: the vision encoder ran batches
            java.util.regex.Matcher batches = java.util.regex.Pattern.compile("(?m)^vidqa_encoder_batch_size_count\\S* (\\S+)$")
                    .matcher(text);
            assertTrue(batches.find() && Double.parseDouble(batches.group(1)) >= 1, "encoder batches recorded:\n" + text);
            for (String meter : List.of("vidqa_chunks_decoded_total", "vidqa_frames_decoded_total", "vidqa_frames_encoded_total",
                    "vidqa_features_cache_total", "vidqa_encoder_batch_size", "vidqa_question_latency_seconds",
                    "kafka_stream")) {
                assertTrue(text.contains(meter), meter + " is scraped");
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertTrue(health.body().startsWith("UP"));
        }
    }

    @Test
    void theIngestAndAskCommandsTalkToTheApplication() throws Exception {
        Properties p = props("cli");
        VidqaConfig c = VidqaConfig.from(p);
        Path file = tmp.resolve("cli.properties");
        try (OutputStream o = Files.newOutputStream(file)) {
            p.store(o, "cli test");
        }
        try (ModelQaEngine engine = engine(c); VidqaApp app = VidqaApp.start(c, engine, new SimpleMeterRegistry())) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
            assertEquals(0, Vidqa.run("ingest", "--config", file.toString(), "--stream-id", "cli-cam", VIDEO.toString()));
            java.io.PrintStream original = System.out;
            java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
            int code;
            try {
                System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
                code = Vidqa.run("ask", "--config", file.toString(), "--stream-id", "cli-cam", "--clip", "cityCC0.mpg",
                        "--json", "--id", "cli-q", "--timeout", "120s", "what is happening?");
            } finally {
                System.setOut(original);
            }
            assertEquals(0, code, captured.toString(StandardCharsets.UTF_8));
            AnswerRecord a = dev.vidqa.topology.records.Json.answer(captured.toString(StandardCharsets.UTF_8).strip()
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals("cli-q", a.questionId());
            assertEquals(AnswerRecord.OK, a.status());
            assertEquals(4, a.frameTimestamps().size());
        }
    }

    @Test
    void everyBadInputClassIsDeadLetteredOrAnsweredAndTheStreamGoesOn() throws Exception {
        VidqaConfig c = VidqaConfig.from(props("bad", "vidqa.decode.max-chunk-bytes", "2000000"));
        try (ModelQaEngine engine = engine(c); VidqaApp app = VidqaApp.start(c, engine, new SimpleMeterRegistry());
             AnswerWatcher watcher = new AnswerWatcher(client(), c.topics().answers().name(), false);
             QuestionPublisher ask = new QuestionPublisher(client(), c.topics().questions().name());
             ChunkPublisher chunks = new ChunkPublisher(client(), c.topics().chunks().name())) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
            byte[] random = new byte[20_000];
            new java.util.Random(5).nextBytes(random);
            chunks.publishRaw("city", random, ChunkHeaders.CONTAINER, "mpegts");          // undecodable
            chunks.publishRaw("city", new byte[2_500_000]);                                 // oversized
            chunks.publishRaw("city", wav());                                               // no video
            ask.sendRaw("city", "{\"id\": 1, \"question\": ".getBytes(StandardCharsets.UTF_8)); // malformed
            ingest(c, "city", VIDEO);
            ask.send(new QuestionRecord("empty", "city", " ", Window.latest(4), null, null));
            ask.send(new QuestionRecord("long", "city", "is there " + "a very ".repeat(100) + "long car?",
                    Window.latest(4), null, null));
            ask.send(new QuestionRecord("unknown", "nowhere", "anyone?", Window.latest(4), null, null));
            ask.send(new QuestionRecord("fine", "city", "what happens?", Window.latest(4), null, null));
            Map<String, AnswerRecord> got = watcher.await(List.of("empty", "long", "unknown", "fine"), WAIT, a -> { }, null);
            assertEquals(AnswerRecord.ERROR, got.get("empty").status());
            assertEquals("the question is empty", got.get("empty").error());
            assertEquals(AnswerRecord.ERROR, got.get("long").status());
            assertTrue(got.get("long").error().contains("the prompt has"), got.get("long").error());
            assertEquals(AnswerRecord.NO_FRAMES, got.get("unknown").status());
            assertEquals(AnswerRecord.OK, got.get("fine").status());

            Map<String, String> dead = deadLetterReasons(c, 4);
            assertTrue(dead.containsValue("VideoDecodeException/PROBE_FAILED"), dead.toString());
            assertTrue(dead.containsValue("VideoDecodeException/LIMIT_EXCEEDED"), dead.toString());
            assertTrue(dead.containsValue("VideoDecodeException/NO_VIDEO_STREAM"), dead.toString());
            assertTrue(dead.containsValue("InvalidQuestionException"), dead.toString());
        }
    }

    /** Error classes of the dead letters, by their payload's size and first bytes. */
    static Map<String, String> deadLetterReasons(VidqaConfig c, int expected) {
        Properties p = client();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(40 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(40 << 20));
        Map<String, String> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(c.topics().deadLetters().name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String reason = ChunkHeaders.get(r.headers(), DeadLetterWriter.REASON);
                    assertNotNull(reason);
                    assertFalse(reason.isBlank());
                    out.put(r.value().length + ":" + r.offset() + ":" + r.partition(),
                            ChunkHeaders.get(r.headers(), DeadLetterWriter.ERROR_CLASS));
                }
            }
        }
        return out;
    }

    byte[] wav() throws Exception {
        Path wav = tmp.resolve("tone.wav");
        try (var r = new org.bytedeco.javacv.FFmpegFrameRecorder(wav.toFile(), 1)) {
            r.setFormat("wav");
            r.setSampleRate(8000);
            r.start();
            r.recordSamples(8000, 1, java.nio.ShortBuffer.wrap(new short[8000]));
            r.stop();
        }
        return Files.readAllBytes(wav);
    }

    @Test
    void twoInstancesShareThePartitionsAndAnswerEveryQuestionOnce() throws Exception {
        Properties p = props("scale", "vidqa.topics.partitions", "4");
        VidqaConfig c1 = VidqaConfig.from(p);
        Properties p2 = new Properties();
        p2.putAll(p);
        p2.put("state.dir", tmp.resolve("second-state").toString());
        VidqaConfig c2 = VidqaConfig.from(p2);
        try (ModelQaEngine e1 = engine(c1); ModelQaEngine e2 = engine(c2);
             VidqaApp a1 = VidqaApp.start(c1, e1, new SimpleMeterRegistry());
             VidqaApp a2 = VidqaApp.start(c2, e2, new SimpleMeterRegistry());
             AnswerWatcher watcher = new AnswerWatcher(client(), c1.topics().answers().name(), false);
             QuestionPublisher ask = new QuestionPublisher(client(), c1.topics().questions().name())) {
            assertTrue(a1.awaitRunning(Duration.ofSeconds(90)) && a2.awaitRunning(Duration.ofSeconds(90)));
            awaitBothAssigned(a1, a2);
            List<String> streams = List.of("cam-a", "cam-b", "cam-c", "cam-d", "cam-e", "cam-f");
            List<String> ids = new ArrayList<>();
            for (String s : streams) {
                ask.send(new QuestionRecord("q-" + s, s, "what happens?", Window.clip("cityCC0.mpg"), null, null));
                ids.add("q-" + s);
            }
            for (String s : streams) {
                ingest(c1, s, VIDEO);
            }
            List<AnswerRecord> dup = new ArrayList<>();
            Map<String, AnswerRecord> got = watcher.await(ids, WAIT, a -> { }, dup);
            Thread.sleep(1000);
            watcher.poll(Duration.ofMillis(500), dup::add);
            assertEquals(ids.size(), got.size(), "every stream's question answered");
            assertTrue(dup.isEmpty(), "no question answered twice: " + dup);
            double n1 = a1.metrics().count("vidqa.answers", "status", "ok");
            double n2 = a2.metrics().count("vidqa.answers", "status", "ok");
            assertEquals(ids.size(), n1 + n2, 0.0);
            assertTrue(n1 > 0 && n2 > 0, "both instances answered (" + n1 + " / " + n2 + ")");
        }
    }

    public static void awaitBothAssigned(VidqaApp a1, VidqaApp a2) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            boolean one = a1.streams().metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
            boolean two = a2.streams().metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
            if (one && two && a1.state().isRunningOrRebalancing() && a2.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                    && a1.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the two instances did not split the tasks");
    }

    @Test
    void aCrashAndRestartMidStreamAnswersEveryQuestionExactlyOnce() throws Exception {
        Properties p = props("crash", "commit.interval.ms", "100");
        VidqaConfig c = VidqaConfig.from(p);
        Path config = tmp.resolve("crash.properties");
        try (OutputStream o = Files.newOutputStream(config)) {
            p.store(o, "crash test");
        }
        Process first = launch(config, tmp.resolve("state-1"), "first");
        try (AnswerWatcher watcher = new AnswerWatcher(client(), awaitTopic(c), false);
             QuestionPublisher ask = new QuestionPublisher(client(), c.topics().questions().name())) {
            ingest(c, "city", VIDEO);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "crash-" + i;
                ids.add(id);
                ask.send(new QuestionRecord(id, "city", "what is happening, part " + i + "?", Window.clip("cityCC0.mpg"),
                        null, null));
            }
            // let it answer some, then kill it without warning
            List<AnswerRecord> before = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (before.size() < 5 && System.nanoTime() < deadline) {
                watcher.poll(Duration.ofMillis(100), before::add);
            }
            assertTrue(before.size() >= 5 && before.size() < ids.size(), "crash mid-stream, after " + before.size());
            // kill inside an open transaction, on purpose: the hard case (the dead producer cannot be fenced
            // by a replacement with empty state; its transaction must be aborted by the broker)
            killInsideTransaction(first, p.getProperty("application.id"));
            first.waitFor(30, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            assertTrue(hasOngoingTransaction(p.getProperty("application.id")), "killed inside an open transaction");
            // a fresh instance: new process, empty local state (restored from the changelogs), on a busy machine
            Process second = launch(config, tmp.resolve("state-2"), "second");
            java.util.concurrent.atomic.AtomicBoolean loaded = new java.util.concurrent.atomic.AtomicBoolean(true);
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                Thread t = new Thread(() -> {
                    long x = 1;
                    while (loaded.get()) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                    }
                    if (x == 42) {
                        System.out.print("");
                    }
                });
                t.setDaemon(true);
                t.start();
                load.add(t);
            }
            try {
                try (AnswerWatcher all = new AnswerWatcher(client(), c.topics().answers().name(), true)) {
                    List<AnswerRecord> dup = new ArrayList<>();
                    Map<String, AnswerRecord> got = all.await(ids, WAIT, a -> { }, dup);
                    Thread.sleep(2000);
                    all.poll(Duration.ofMillis(500), a -> {
                        if (ids.contains(a.questionId())) {
                            dup.add(a);
                        }
                    });
                    double recovery = (System.nanoTime() - killed) / 1e9;
                    loaded.set(false);
                    System.out.printf("crash inside a transaction: every question answered %.1f s after the kill%n", recovery);
                    assertEquals(ids.size(), got.size(), "no question lost");
                    assertTrue(recovery <= 90, "answered within 90 s of the kill, took " + recovery + " s");
                    assertTrue(dup.isEmpty(), "no question answered twice: " + dup.stream().map(AnswerRecord::questionId).toList());
                    got.values().forEach(a -> assertEquals(AnswerRecord.OK, a.status()));
                }
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            first.destroyForcibly();
        }
    }

    @Test
    void aCrashMidIncidentNeitherOpensItTwiceNorLosesIt() throws Exception {
        Properties p = props("incident-crash", "commit.interval.ms", "100");
        String prefix = p.getProperty("application.id");
        p.put("vidqa.topic.watches", prefix + ".watches");
        p.put("vidqa.topic.incidents", prefix + ".incidents");
        // chunks stored late after the crash are still evaluated (the default skips those 10 s behind
        // live): every evaluation is made, so the incidents' times are known in advance
        p.put("vidqa.watches.max-lag-seconds", "600");
        VidqaConfig c = VidqaConfig.from(p);
        Path config = tmp.resolve("incident-crash.properties");
        try (OutputStream o = Files.newOutputStream(config)) {
            p.store(o, "incident crash test");
        }
        // a watch that fires on every answer (the tiny model's words mean nothing): an incident opens at
        // the second evaluation of every stream and stays open until the stream starts over
        dev.vidqa.topology.app.TopicAdmin.ensure(client(), c.topics(), 2, (short) 1);
        dev.vidqa.topology.records.WatchRecord watch = new dev.vidqa.topology.records.WatchRecord("always", null, "*",
                "what is happening?", 2.0, Window.latest(4), null, null,
                new dev.vidqa.topology.records.WatchRecord.Trigger(null, List.of("no answer is this")), 2, 1);
        new dev.vidqa.topology.client.CompactedTopic<>(client(), c.topics().watches().name(),
                dev.vidqa.topology.records.WatchRecord.class).put(watch.id(), watch);
        Path feed = tmp.resolve("feed");
        dev.vidqa.frames.world.WorldWriter.write(feed, new dev.vidqa.frames.world.WorldWriter.Spec(11, 3,
                dev.vidqa.frames.world.WorldSplit.HELDOUT, 160, 120, 10, 6.0, 1));
        Path clips = feed.resolve("clips");
        Process first = launch(config, tmp.resolve("incident-state-1"), "incident-first");
        Process second = null;
        try {
            ingestPaced(c, "cam-1", clips);
            // the incident of cam-1 is open (committed); more streams keep transactions coming
            awaitIncidents(c, "cam-1", 1);
            Thread feeder = new Thread(() -> {
                try {
                    for (int i = 2; i <= 4; i++) {
                        ingestPaced(c, "cam-" + i, clips);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            feeder.start();
            killInsideTransaction(first, prefix);
            first.waitFor(30, TimeUnit.SECONDS);
            // a fresh instance, empty local state: the watch states come back from the changelog; the
            // feeder goes on as the new instance answers
            second = launch(config, tmp.resolve("incident-state-2"), "incident-second");
            feeder.join();
            for (int i = 2; i <= 4; i++) {
                awaitIncidents(c, "cam-" + i, 1);
            }
            // cam-1 starts over: its open incident closes, and a new one opens on the new run
            ingestPaced(c, "cam-1", clips);
            List<dev.vidqa.topology.records.IncidentRecord> cam1 = awaitIncidents(c, "cam-1", 3);
            Thread.sleep(3000); // a duplicate committed late would show now
            cam1 = awaitIncidents(c, "cam-1", 3);
            assertEquals(List.of("open", "closed", "open"), cam1.stream().map(i -> i.state()).toList(),
                    "cam-1: one incident opened, closed when the stream started over, one more opened: " + cam1);
            assertEquals(cam1.get(0).from(), cam1.get(1).from(), 1e-9, "the closed record is the open one's");
            for (int i = 2; i <= 4; i++) {
                List<dev.vidqa.topology.records.IncidentRecord> other = awaitIncidents(c, "cam-" + i, 1);
                assertEquals(List.of("open"), other.stream().map(r -> r.state()).toList(),
                        "cam-" + i + ": one incident, opened once across the crash: " + other);
                assertEquals(2.0, other.get(0).from(), 1e-9, "from the first evaluation that fired: " + other);
            }
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Ingests chunk by chunk, each once the watch "always" has evaluated the one before (a live
     * camera's pace: a feed sent all at once is evaluated at its newest window only).
     */
    static void ingestPaced(VidqaConfig c, String stream, Path clips) throws Exception {
        java.util.Set<String> answered = new java.util.HashSet<>();
        try (AnswerWatcher w = new AnswerWatcher(client(), c.topics().answers().name(), false);
             ChunkPublisher pub = new ChunkPublisher(client(), c.topics().chunks().name())) {
            new Ingestor(new Chunker(2.0), ch -> {
                pub.publish(ch);
                String id = String.format(java.util.Locale.ROOT, "watch/always/%s/%.3f", stream,
                        Math.floor(ch.end() / 2.0 + 1e-9) * 2.0);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!answered.contains(id) && System.nanoTime() < deadline) {
                    w.poll(Duration.ofMillis(100), a -> answered.add(a.questionId()));
                }
            }).ingest(stream, clips.toString());
        }
    }

    /** The committed incidents of a stream, once there are at least {@code n} (every one read, in order). */
    static List<dev.vidqa.topology.records.IncidentRecord> awaitIncidents(VidqaConfig c, String stream, int n)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<dev.vidqa.topology.records.IncidentRecord> got = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            got.clear();
            dev.vidqa.topology.client.CompactedTopic.readAll(client(), c.topics().incidents().name(), Duration.ofSeconds(10),
                    r -> {
                        var i = dev.vidqa.topology.records.Json.MAPPER.readValue(r.value(),
                                dev.vidqa.topology.records.IncidentRecord.class);
                        if (i.streamId().equals(stream)) {
                            got.add(i);
                        }
                    });
            if (got.size() >= n) {
                return List.copyOf(got);
            }
            Thread.sleep(500);
        }
        throw new AssertionError(stream + ": " + got.size() + " incident records, expected " + n + ": " + got);
    }

    static boolean hasOngoingTransaction(String applicationId) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(client())) {
            return admin.listTransactions().all().get().stream().anyMatch(t -> t.transactionalId().startsWith(applicationId)
                    && t.state() == org.apache.kafka.clients.admin.TransactionState.ONGOING);
        }
    }

    /** Kills {@code process} the moment the broker reports a transaction of the application open. */
    static void killInsideTransaction(Process process, String applicationId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(client())) {
            while (System.nanoTime() < deadline) {
                boolean open = admin.listTransactions().all().get().stream().anyMatch(t -> t.transactionalId()
                        .startsWith(applicationId) && t.state() == org.apache.kafka.clients.admin.TransactionState.ONGOING);
                if (open) {
                    process.destroyForcibly();
                    return;
                }
                Thread.sleep(2);
            }
        }
        throw new AssertionError("no transaction of " + applicationId + " was ever open");
    }

    /** Waits for the application in the child process to create its topics; returns the answers topic. */
    static String awaitTopic(VidqaConfig c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(client())) {
            while (System.nanoTime() < deadline) {
                if (admin.listTopics().names().get().contains(c.topics().answers().name())) {
                    return c.topics().answers().name();
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the application did not create its topics");
    }

    /** {@code vidqa run} in a child JVM on this test's classpath. */
    Process launch(Path config, Path state, String name) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(config)) {
            p.load(in);
        }
        p.put("state.dir", state.toString());
        Path own = tmp.resolve(name + ".properties");
        try (OutputStream o = Files.newOutputStream(own)) {
            p.store(o, name);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true",
                "-Dvidqa.home=" + RepoPaths.root(), "-cp", System.getProperty("java.class.path"),
                "dev.vidqa.topology.cli.Vidqa", "run", "--config", own.toString());
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
        return pb.start();
    }
}
