package dev.vidqa.topology.cli;

import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.kafka.EmbeddedKafka;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vidqa demo}: the whole product in one process. A real Kafka broker (KRaft) starts
 * in-process unless {@code --bootstrap-servers} names one; the streaming application runs on the
 * given (or the tiny fixture) checkpoint; the sample video is ingested in chunks; a few questions
 * are asked and their answers printed as they arrive on the answers topic.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a broker, the application, ingest the sample video, ask questions, print the answers.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "checkpoint (default: the tiny random-weight fixture)")
    Path model;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto")
    String device;

    @Option(names = "--bootstrap-servers", description = "use this cluster instead of an embedded broker")
    String bootstrapServers;

    @Option(names = "--video", description = "video to ingest (default: the sample cityCC0.mpg)")
    Path video;

    @Option(names = "--chunk-seconds", defaultValue = "2", description = "(default: ${DEFAULT-VALUE})")
    double chunkSeconds;

    @Option(names = "--timeout", defaultValue = "180s", description = "give up waiting for answers after (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path videoFile = video != null ? video : Defaults.sampleVideo();
        Path modelDir = model != null ? model : Defaults.tinyModel();
        if (!Files.isRegularFile(videoFile)) {
            throw new IllegalArgumentException(videoFile + ": no such video file");
        }
        long t0 = System.nanoTime();
        EmbeddedKafka kafka = null;
        Path state = Files.createTempDirectory("vidqa-demo-state");
        try {
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
            p.put("vidqa.device", device);
            VidqaConfig config = VidqaConfig.from(p);
            boolean tiny = Defaults.isTinyModel(modelDir);
            out.printf("vidqa demo: loading %s%s%n", modelDir,
                    tiny ? " (tiny random-weight fixture: the path is real, the answers are meaningless words)" : "");
            config.applyTorchThreads();
            try (ModelQaEngine engine = VidqaApp.engine(config, InstructBlipVideo.load(modelDir, config.device()));
                 VidqaApp app = VidqaApp.start(config, engine, new SimpleMeterRegistry())) {
                if (!app.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the streaming application did not start: " + app.state());
                }
                Properties client = new Properties();
                client.put("bootstrap.servers", bootstrap);
                String stream = "city-cam";
                String clip = videoFile.getFileName().toString();
                List<QuestionRecord> questions = List.of(
                        new QuestionRecord("q1", stream, "what is happening in the street?", Window.clip(clip), null, null),
                        new QuestionRecord("q2", stream, "how many cars are there?", Window.latest(4), null, null),
                        new QuestionRecord("q3", stream, "what is moving?", Window.range(2, 6),
                                List.of("cars", "people", "a bus", "a dog"), null),
                        new QuestionRecord("q4", "lobby-cam", "is anyone there?", Window.latest(10), null, null));
                try (AnswerWatcher watcher = new AnswerWatcher(client, config.topics().answers().name(), false);
                     QuestionPublisher asker = new QuestionPublisher(client, config.topics().questions().name());
                     ChunkPublisher publisher = new ChunkPublisher(client, config.topics().chunks().name())) {
                    // the clip, span and unknown-stream questions go first: they wait for their frames
                    for (QuestionRecord q : questions) {
                        if (!q.id().equals("q2")) {
                            asker.send(q);
                        }
                    }
                    out.printf("vidqa demo: asked 3 questions; ingesting %s as stream '%s' in %.0f s chunks...%n",
                            clip, stream, chunkSeconds);
                    Ingestor.Summary s = new Ingestor(new Chunker(chunkSeconds), publisher::publish).ingest(stream,
                            videoFile.toString());
                    out.printf("vidqa demo: ingested %d chunks (%.1f s of video); asking about its latest 4 s%n%n",
                            s.chunks(), s.streamSeconds());
                    asker.send(questions.get(1));
                    Map<String, QuestionRecord> byId = questions.stream()
                            .collect(Collectors.toMap(QuestionRecord::id, q -> q));
                    List<AnswerRecord> duplicates = new ArrayList<>();
                    Map<String, AnswerRecord> got = watcher.await(byId.keySet(), AnswerCommand.parseDuration(timeout),
                            a -> print(out, byId.get(a.questionId()), a), duplicates);
                    // a second answer may be committed after the last first one: keep counting a moment
                    watcher.collectDuplicates(got.keySet(), Duration.ofSeconds(3), duplicates);
                    out.printf("%nvidqa demo: %d of %d questions answered, %d duplicate answers, in %.1f s%n", got.size(),
                            questions.size(), duplicates.size(), (System.nanoTime() - t0) / 1e9);
                    var m = app.metrics();
                    out.printf("vidqa demo: chunks decoded %.0f, frames decoded %.0f, frames stored %.0f, frames encoded"
                            + " %d, feature cache hits %d / misses %d, dead letters %.0f%n", m.count("vidqa.chunks.decoded"),
                            m.count("vidqa.frames.decoded"), m.count("vidqa.frames.stored"),
                            engine.encoder().encodedFrames(), engine.encoder().cache().hits(),
                            engine.encoder().cache().misses(),
                            m.count("vidqa.dead.letters", "stage", "chunk") + m.count("vidqa.dead.letters", "stage", "question"));
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
        String where = q == null || q.window() == null ? "" : switch (q.window().kind()) {
            case CLIP -> "clip " + q.window().clip();
            case LATEST -> "latest " + q.window().latestSeconds() + " s";
            case RANGE -> String.format("[%.1f, %.1f) s", q.window().from(), q.window().to());
        };
        out.printf("[%s] %s  (stream %s, %s)%n", a.questionId(), a.question(), a.streamId(), where);
        if (AnswerRecord.OK.equals(a.status())) {
            String text = a.answer() == null || a.answer().isBlank() ? "(no text)" : a.answer();
            out.printf("     answer: %s%n", text);
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
