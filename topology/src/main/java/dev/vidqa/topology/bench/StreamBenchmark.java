package dev.vidqa.topology.bench;

import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.app.VideoQaProcessor;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.kafka.EmbeddedKafka;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import dev.vidqa.topology.pipeline.QaEngine;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import dev.vidqa.topology.store.StoredFrame;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * End-to-end throughput: questions answered per second through the real broker (produce, stream
 * processing with exactly-once, answer consumed) next to the same questions answered by direct
 * calls on the same stored frames, in the same run, with the tiny checkpoint.
 */
public final class StreamBenchmark {
    static final int QUESTIONS = 60;

    private StreamBenchmark() {}

    /** The application on the benchmark's embedded broker: its own id and state directory, CPU. */
    static Properties applicationProperties(EmbeddedKafka kafka, String applicationId, Path state, int partitions) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("application.id", applicationId);
        p.put("state.dir", state.toString());
        p.put("vidqa.topics.partitions", Integer.toString(partitions));
        p.put("vidqa.device", "cpu");
        return p;
    }

    static Properties clientProperties(EmbeddedKafka kafka) {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return client;
    }

    public static void run(Path model, Path video, PrintStream out) throws Exception {
        Path state = Files.createTempDirectory("vidqa-bench-state");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties p = applicationProperties(kafka, "vidqa-bench", state, 1);
            VidqaConfig c = VidqaConfig.from(p);
            Properties client = clientProperties(kafka);
            try (BenchApp b = BenchApp.start(c, client, model)) {
                ModelQaEngine engine = b.engine();
                VidqaApp app = b.app();
                AnswerWatcher watcher = b.watcher();
                QuestionPublisher ask = b.ask();
                ChunkPublisher chunks = b.chunks();
                String clip = video.getFileName().toString();
                new Ingestor(new Chunker(2.0), chunks::publish).ingest("bench", video.toString());
                // warm up: the first answer also fills the feature cache
                ask.send(question("warm", clip));
                Map<String, AnswerRecord> warm = watcher.await(List.of("warm"), Duration.ofSeconds(120), a -> { }, null);
                AnswerRecord w = warm.get("warm");
                if (w == null || !AnswerRecord.OK.equals(w.status())) {
                    throw new IllegalStateException("warm-up question failed: " + w);
                }

                List<String> ids = new ArrayList<>();
                List<QuestionRecord> batch = new ArrayList<>();
                for (int i = 0; i < QUESTIONS; i++) {
                    QuestionRecord q = question("q" + i, clip);
                    ids.add(q.id());
                    batch.add(q);
                }
                long t0 = System.nanoTime();
                ask.sendAll(batch); // many clients asking at once
                Map<String, AnswerRecord> got = watcher.await(ids, Duration.ofSeconds(600), a -> { }, null);
                double streamed = (System.nanoTime() - t0) / 1e9;
                if (got.size() != QUESTIONS) {
                    throw new IllegalStateException(got.size() + " of " + QUESTIONS + " answered");
                }

                // the same questions by direct calls on the frames the stream used
                List<QaEngine.FrameRef> frames = storedFrames(app, w.frameTimestamps());
                long t1 = System.nanoTime();
                for (int i = 0; i < QUESTIONS; i++) {
                    QuestionRecord q = question("q" + i, clip);
                    engine.answer(frames, q.question(), null, c.answerOptions());
                }
                double direct = (System.nanoTime() - t1) / 1e9;
                List<QaEngine.Request> all = new ArrayList<>();
                for (int i = 0; i < QUESTIONS; i++) {
                    all.add(new QaEngine.Request(frames, question("q" + i, clip).question(), null, c.answerOptions()));
                }
                long t2 = System.nanoTime();
                engine.answerAll(all);
                double batched = (System.nanoTime() - t2) / 1e9;
                out.printf("PyTorch intra-op threads: %s (vidqa.torch.threads; %d cores)%n",
                        System.getProperty(dev.vidqa.qformer.Engines.THREADS_PROPERTY), Runtime.getRuntime().availableProcessors());
                out.printf("stream benchmark: %d questions over %s with %s (beam 5), one partition, exactly-once,"
                        + " in-process KRaft broker%n", QUESTIONS, clip, model.getFileName());
                out.printf("  through Kafka: %.2f s = %.1f questions/s (produce -> process -> committed answer read)%n",
                        streamed, QUESTIONS / streamed);
                out.printf("  direct model calls on the same frames: %.2f s = %.1f questions/s%n", direct, QUESTIONS / direct);
                out.printf("  ratio (through Kafka / direct): %.2f%n", direct / streamed);
                out.printf("  (direct, batched %d questions per language-model pass: %.2f s = %.1f questions/s)%n",
                        c.questions().maxBatch(), batched, QUESTIONS / batched);
                var mt = app.metrics().modelTime();
                out.printf("  questions per batch in the stream: %.1f on average%n", app.metrics().meanQuestionBatch());
                out.printf("  model time inside the stream: %.1f ms per question (direct: %.1f ms)%n",
                        mt.mean(java.util.concurrent.TimeUnit.MILLISECONDS), direct * 1000 / QUESTIONS);
            }
        } finally {
            try (var s = Files.walk(state)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static QuestionRecord question(String id, String clip) {
        return new QuestionRecord(id, "bench", "what is happening in the street, take " + id + "?", Window.clip(clip),
                null, null);
    }

    /** The stored frames at {@code times}, read from the running application's frame store. */
    static List<QaEngine.FrameRef> storedFrames(VidqaApp app, List<Double> times) {
        ReadOnlyKeyValueStore<String, byte[]> store = app.streams().store(StoreQueryParameters.fromNameAndType(
                VideoQaProcessor.FRAMES_STORE, QueryableStoreTypes.keyValueStore()));
        List<QaEngine.FrameRef> out = new ArrayList<>();
        for (double t : times) {
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    StoredFrame f = StoredFrame.decode(it.next().value);
                    if (Math.abs(f.time() - t) < 1e-6) {
                        out.add(new QaEngine.FrameRef(f.key(), f.time(), f::rgb));
                        break;
                    }
                }
            }
        }
        return out;
    }
}
