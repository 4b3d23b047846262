package dev.vidqa.topology.eval;

import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.eval.VqaNormalizer;
import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.kafka.EmbeddedKafka;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The same evaluation through the streaming application: each video is ingested as one chunk
 * (its own stream), every frame is kept, and each question asks about the whole clip with the
 * evaluation's sampling and decoding as the application's defaults, so both paths look at the
 * same frames and their answers can be compared.
 */
public final class KafkaEval {
    private KafkaEval() {}

    public static Map<String, AnswerRecord> answer(List<EvalItem> items, Path modelDir, DeviceChoice device,
                                                   EvalSettings s, String bootstrapServers, PrintStream log)
            throws Exception {
        EmbeddedKafka kafka = null;
        Path state = Files.createTempDirectory("vidqa-eval-state");
        try {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                log.println("vidqa eval: starting an embedded Kafka broker for --through-kafka");
                kafka = EmbeddedKafka.start();
                bootstrap = kafka.bootstrapServers();
            }
            String run = "vidqa-eval-" + UUID.randomUUID().toString().substring(0, 8);
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("application.id", run);
            p.put("state.dir", state.toString());
            for (String t : List.of("chunks", "questions", "answers", "dead-letters")) {
                p.put("vidqa.topic." + t, run + "." + t);
            }
            p.put("vidqa.topics.partitions", "1");
            p.put("vidqa.frames.store-fps", "1000"); // every frame: the same timeline as the direct path
            p.put("vidqa.frames.retention-seconds", "1000000");
            p.put("vidqa.decode.max-frames", "100000");
            p.put("vidqa.decode.max-seconds", "600");
            p.put("vidqa.questions.wait-seconds", "600");
            s.answer().asKeys().forEach((k, v) -> p.put("vidqa.answer." + k, v));
            p.put("vidqa.model.dir", modelDir.toString());
            VidqaConfig c = VidqaConfig.from(p);
            Properties client = new Properties();
            client.put("bootstrap.servers", bootstrap);
            try (var engine = VidqaApp.engine(c, InstructBlipVideo.load(modelDir, device));
                 VidqaApp app = VidqaApp.start(c, engine, new SimpleMeterRegistry());
                 AnswerWatcher watcher = new AnswerWatcher(client, c.topics().answers().name(), false);
                 QuestionPublisher ask = new QuestionPublisher(client, c.topics().questions().name());
                 ChunkPublisher chunks = new ChunkPublisher(client, c.topics().chunks().name())) {
                if (!app.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the streaming application did not start");
                }
                Map<Path, String> streams = new LinkedHashMap<>();
                for (EvalItem i : items) {
                    if (i.video() != null && !streams.containsKey(i.video())) {
                        streams.put(i.video(), "eval-" + streams.size());
                    }
                }
                log.printf("vidqa eval: ingesting %d videos through Kafka%n", streams.size());
                Ingestor ingestor = new Ingestor(new Chunker(1e6), chunks::publish); // one chunk per video
                for (Map.Entry<Path, String> e : streams.entrySet()) {
                    ingestor.ingest(e.getValue(), e.getKey().toString());
                }
                List<QuestionRecord> questions = new ArrayList<>();
                for (EvalItem i : items) {
                    if (i.video() == null) {
                        continue;
                    }
                    String q = s.preprocessQuestions() ? VqaNormalizer.question(i.question()) : i.question();
                    questions.add(new QuestionRecord(i.id(), streams.get(i.video()), q,
                            Window.clip(i.video().getFileName().toString()), i.candidates(), null));
                }
                ask.sendAll(questions);
                Map<String, AnswerRecord> got = watcher.await(questions.stream().map(QuestionRecord::id).toList(),
                        Duration.ofMinutes(10).plusSeconds(5L * questions.size()), a -> { }, null);
                log.printf("vidqa eval: %d of %d questions answered through Kafka%n", got.size(), questions.size());
                return got;
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            try (var f = Files.walk(state)) {
                f.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }
}
