package dev.vidqa.topology.cli;

import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.topology.app.AppServer;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.kafka.EmbeddedKafka;
import dev.vidqa.topology.live.LivePage;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.train.world.WorldRecipe;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vidqa demo}: the whole product in one process. A real Kafka broker (KRaft) starts
 * in-process unless {@code --bootstrap-servers} names one; the streaming application runs on the
 * given (or the shipped world) model; a generated camera feed (or {@code --video}) is ingested in
 * chunks; questions about a clip, a time span and the latest seconds are asked and their answers
 * printed as they arrive on the answers topic — beside the truth where the scene is known.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a broker and the application, stream a generated camera feed (or --video), ask"
                + " questions, print the answers beside the truth.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "checkpoint (default: the shipped world model)")
    Path model;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto")
    String device;

    @Option(names = "--bootstrap-servers", description = "use this cluster instead of an embedded broker")
    String bootstrapServers;

    @Option(names = "--video", description = "video to ingest instead of the generated feed (the sample street video"
            + " when the model is not the world model)")
    Path video;

    @Option(names = "--clips", defaultValue = "4", description = "6-second clips in the generated feed (default: ${DEFAULT-VALUE})")
    int clips;

    @Option(names = "--seed", defaultValue = "2027", description = "of the generated feed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--chunk-seconds", defaultValue = "2", description = "(default: ${DEFAULT-VALUE})")
    double chunkSeconds;

    @Option(names = "--timeout", defaultValue = "180s", description = "give up waiting for answers after (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--live-port", paramLabel = "PORT", description = "serve the live page (and /metrics) on this port"
            + " while the demo runs: streams, watch, incidents, answers, an ask box (0: any free port)")
    Integer livePort;

    @Option(names = "--stay", description = "with --live-port: keep the application and its page running after the"
            + " demo, until Ctrl-C")
    boolean stay;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path modelDir = model != null ? model : Defaults.model();
        boolean world = video == null && WorldRecipe.isWorldModel(modelDir);
        if (clips < 1 || clips > 100) {
            throw new IllegalArgumentException("--clips must be 1..100");
        }
        long t0 = System.nanoTime();
        EmbeddedKafka kafka = null;
        Path state = Files.createTempDirectory("vidqa-demo-state");
        try {
            DemoScenario scenario;
            if (world) {
                out.printf("vidqa demo: generating a camera feed of %d world clips (held-out split, seed %d)...%n", clips,
                        seed);
                scenario = new DemoScenario.World(state.resolve("feed"), clips, seed);
            } else {
                Path videoFile = video != null ? video : Defaults.sampleVideo();
                if (!Files.isRegularFile(videoFile)) {
                    throw new IllegalArgumentException(videoFile + ": no such video file");
                }
                scenario = new DemoScenario.City(videoFile);
            }
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                out.println("vidqa demo: starting an embedded Kafka broker (KRaft, in this process)...");
                kafka = EmbeddedKafka.start();
                bootstrap = kafka.bootstrapServers();
            }
            out.printf("vidqa demo: Kafka at %s%n", bootstrap);
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("application.id", "vidqa-demo-" + UUID.randomUUID().toString().substring(0, 8));
            p.put("state.dir", state.toString());
            p.put("vidqa.topics.partitions", "2");
            p.put("vidqa.questions.wait-seconds", "8");
            p.put("vidqa.frames.store-fps", "10"); // every frame of the 10 fps feed, as the model saw them in training
            p.put("vidqa.device", device);
            p.put("vidqa.model.dir", modelDir.toString());
            VidqaConfig config = VidqaConfig.from(p);
            boolean tiny = Defaults.isTinyModel(modelDir);
            out.printf("vidqa demo: loading %s%s%n", modelDir,
                    tiny ? " (tiny random-weight fixture: the path is real, the answers are meaningless words)" : "");
            config.applyTorchThreads();
            Properties client = new Properties();
            client.put("bootstrap.servers", bootstrap);
            DemoWatch watch = world ? DemoWatch.forFeed(state.resolve("feed"), scenario.stream()) : null;
            if (watch != null) {
                // the watch is in its topic before the application starts: every instance restores the
                // watches before it processes a chunk
                dev.vidqa.topology.app.TopicAdmin.ensure(client, config.topics(), config.topicCreation().partitions(),
                        config.topicCreation().replication());
                new dev.vidqa.topology.client.CompactedTopic<>(client, config.topics().watches().name(),
                        dev.vidqa.topology.records.WatchRecord.class).put(watch.watch.id(), watch.watch);
                out.printf("vidqa demo: watching \"%s\" on %s every %.0f s of stream time%n", watch.watch.question(),
                        scenario.stream(), DemoWatch.EVERY);
            }
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (ModelQaEngine engine = VidqaApp.engine(config, InstructBlipVideo.load(modelDir, config.model().device()));
                 VidqaApp app = VidqaApp.start(config, engine, registry);
                 AppServer server = livePort == null ? null : new AppServer(livePort, registry, app::health,
                         config.live().maxClients() + 4);
                 LivePage live = server == null ? null : LivePage.serve(config, app, server)) {
                if (!app.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the streaming application did not start: " + app.state());
                }
                if (server != null) {
                    out.printf("vidqa demo: live page on http://localhost:%d/%n", server.port());
                }
                List<QuestionRecord> questions = new ArrayList<>(scenario.before());
                questions.addAll(scenario.after());
                try (AnswerWatcher watcher = new AnswerWatcher(client, config.topics().answers().name(), false);
                     QuestionPublisher asker = new QuestionPublisher(client, config.topics().questions().name());
                     ChunkPublisher publisher = new ChunkPublisher(client, config.topics().chunks().name())) {
                    // questions about clips and spans go first: they wait for their frames
                    for (QuestionRecord q : scenario.before()) {
                        asker.send(q);
                    }
                    out.printf("vidqa demo: asked %d questions; ingesting %s as stream '%s' in %.0f s chunks...%n",
                            scenario.before().size(), scenario.video().getFileName(), scenario.stream(), chunkSeconds);
                    Map<String, QuestionRecord> byId = questions.stream()
                            .collect(Collectors.toMap(QuestionRecord::id, q -> q));
                    Map<String, AnswerRecord> early = new java.util.LinkedHashMap<>();
                    int[] right = new int[2];
                    java.util.function.Consumer<AnswerRecord> show = a -> {
                        String truth = scenario.truth(a.questionId());
                        if (truth == null && watch != null) {
                            truth = watch.truthOf(a.questionId(), scenario.stream());
                        }
                        print(out, byId.get(a.questionId()), a, truth);
                        if (truth != null) {
                            right[0] += DemoScenario.right(a, truth) ? 1 : 0;
                            right[1]++;
                        }
                    };
                    int[] clipsDone = {0};
                    Ingestor.Summary s = new Ingestor(new Chunker(chunkSeconds), c -> {
                        publisher.publish(c);
                        if (watch != null && c.lastOfClip()) {
                            // a live feed comes no faster than real time: let the watch keep up, clip by clip
                            String id = watch.evaluationId(scenario.stream(), clipsDone[0]++);
                            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                            while (!early.containsKey(id) && System.nanoTime() < deadline) {
                                watcher.poll(Duration.ofMillis(100), a -> {
                                    if (early.putIfAbsent(a.questionId(), a) == null) {
                                        show.accept(a);
                                    }
                                });
                            }
                            try {
                                watch.printNew(client, config.topics().incidents().name(), out);
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }).ingest(scenario.stream(), scenario.video().toString());
                    out.printf("vidqa demo: ingested %d clips in %d chunks (%.1f s of video); asking about the latest"
                            + " seconds%n%n", s.clips(), s.chunks(), s.streamSeconds());
                    for (QuestionRecord q : scenario.after()) {
                        asker.send(q);
                    }
                    List<AnswerRecord> duplicates = new ArrayList<>();
                    List<String> waiting = byId.keySet().stream().filter(id -> !early.containsKey(id)).toList();
                    Map<String, AnswerRecord> got = new java.util.LinkedHashMap<>();
                    early.forEach((id, a) -> {
                        if (byId.containsKey(id)) {
                            got.put(id, a);
                        }
                    });
                    got.putAll(watcher.await(waiting, AnswerCommand.parseDuration(timeout), show, duplicates));
                    // a second answer may be committed after the last first one: keep counting a moment
                    watcher.collectDuplicates(got.keySet(), Duration.ofSeconds(3), duplicates);
                    out.printf("%nvidqa demo: %d of %d questions answered, %d duplicate answers, in %.1f s%n", got.size(),
                            questions.size(), duplicates.size(), (System.nanoTime() - t0) / 1e9);
                    if (right[1] > 0) {
                        out.printf("vidqa demo: %d of %d answers right (%.0f %%)%s%n", right[0], right[1],
                                100.0 * right[0] / right[1], watch == null ? "" : ", the watch's evaluations included");
                    }
                    if (watch != null) {
                        DemoWatch.Tally t = watch.printIncidents(client, config.topics().incidents().name(), out);
                        out.printf("vidqa demo: %d of %d incidents right, %d opened that the scenes do not show (%.0f watch"
                                + " evaluations skipped)%n", t.right(), watch.trueIncidents().size(), t.wrong(),
                                app.metrics().count("vidqa.watch.evaluations.skipped"));
                    }
                    var m = app.metrics();
                    out.printf("vidqa demo: chunks decoded %.0f, frames decoded %.0f, frames stored %.0f, frames encoded"
                            + " %d, feature cache hits %d / misses %d, dead letters %.0f%n", m.count("vidqa.chunks.decoded"),
                            m.count("vidqa.frames.decoded"), m.count("vidqa.frames.stored"),
                            engine.encoder().encodedFrames(), engine.encoder().cache().hits(),
                            engine.encoder().cache().misses(),
                            m.count("vidqa.dead.letters", "stage", "chunk") + m.count("vidqa.dead.letters", "stage", "question"));
                    if (stay && server != null) {
                        out.printf("vidqa demo: still running; the live page is on http://localhost:%d/ (Ctrl-C stops)%n",
                                server.port());
                        CountDownLatch stopped = new CountDownLatch(1);
                        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "vidqa-demo-stop"));
                        stopped.await();
                    }
                    return got.size() == questions.size() && duplicates.isEmpty() ? 0 : 1;
                }
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            try (var s = Files.walk(state)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** One answer, as the demo and {@code vidqa ask} print it. */
    static void print(PrintStream out, QuestionRecord q, AnswerRecord a) {
        print(out, q, a, null);
    }

    /** One answer and, when known, the truth with a tick or a cross. */
    static void print(PrintStream out, QuestionRecord q, AnswerRecord a, String truth) {
        String where = q == null && a.watchId() != null ? "watch " + a.watchId() + ", the latest seconds"
                : q == null || q.window() == null ? "" : switch (q.window().kind()) {
            case CLIP -> "clip " + q.window().clip();
            case LATEST -> "latest " + q.window().latestSeconds() + " s";
            case RANGE -> String.format("[%.1f, %.1f) s", q.window().from(), q.window().to());
        };
        out.printf("[%s] %s  (stream %s, %s)%n", a.questionId(), a.question(), a.streamId(), where);
        if (AnswerRecord.OK.equals(a.status())) {
            String text = a.answer() == null || a.answer().isBlank() ? "(no text)" : a.answer();
            out.printf("     answer: %s%s%n", text, truth == null ? ""
                    : "    truth: " + truth + (DemoScenario.right(a, truth) ? "  ✓" : "  ✗"));
            if (a.candidates() != null) {
                out.printf("     ranked: %s%n", a.candidates().stream()
                        .map(c -> String.format("%s (%.2f)", c.answer(), c.score())).collect(Collectors.joining(", ")));
            }
            out.printf("     frames at %s s, %d ms after the question, model %s%n", a.frameTimestamps().stream()
                    .map(t -> String.format("%.2f", t)).collect(Collectors.joining(" ")), a.latencyMs(), a.model());
        } else {
            out.printf("     %s: %s (%d ms)%n", a.status(), a.error(), a.latencyMs());
        }
    }
}
