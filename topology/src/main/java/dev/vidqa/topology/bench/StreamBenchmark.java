package dev.vidqa.topology.bench;

import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.app.VidqaMetrics;
import dev.vidqa.topology.app.VideoQaProcessor;
import dev.vidqa.topology.kafka.EmbeddedKafka;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code vidqa bench stream}: the same questions over the same stored frames four ways, in one run
 * per model — (a) direct model calls one at a time, (b) direct calls batched as the engine batches
 * the processor's questions (up to {@code vidqa.questions.max-batch}), (c) through the broker with
 * exactly-once, (d) with at-least-once — then the latency of (c) at a steady arrival rate of half
 * its capacity, and where a question's time goes. The headline is (c)/(b).
 */
public final class StreamBenchmark {
    /**
     * Questions per round, all sent at once: enough that a round's fixed start and end (the first
     * poll, the last transaction's commit, ~0.1–0.3 s) do not pass for a cost per question.
     */
    static final int QUESTIONS = 256;
    /**
     * Each way is measured this many times, interleaved; the median is reported, with every round.
     * The headline (c)/(b) is the median of each round's own ratio: (b) runs right after (c) in a
     * round, so a slow spell of this shared machine slows both sides of a ratio, not one.
     */
    static final int ROUNDS = 7;
    /** Unmeasured rounds first. */
    static final int WARM_ROUNDS = 2;

    private StreamBenchmark() {}

    /** A model, a clip to ask about, and the questions' texts (cycled). */
    public record Setup(String label, Path model, Path video, List<String> questions) {}

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

    /** Runs every setup; the last line is the last setup's (c)/(b). */
    public static void run(List<Setup> setups, PrintStream out) throws Exception {
        double ratio = 0;
        for (Setup s : setups) {
            ratio = run(s, out);
        }
        out.printf("kafka/batched-direct: %.2f%n", ratio);
    }

    private static double run(Setup s, PrintStream out) throws Exception {
        Path state = Files.createTempDirectory("vidqa-bench-state");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties client = clientProperties(kafka);
            String clip = s.video().getFileName().toString();
            StreamReport.Rounds r = new StreamReport.Rounds();
            StreamReport.Decode decode;
            KafkaPath.Latency steady;
            Properties p = applicationProperties(kafka, "bench-eos", state.resolve("eos"), 1);
            p.put("vidqa.model.dir", s.model().toString()); // the model's own answer settings
            VidqaConfig c = VidqaConfig.from(p);
            try (BenchApp b = BenchApp.start(c, client, s.model())) {
                new Ingestor(new Chunker(2.0), b.chunks()::publish).ingest("bench", s.video().toString());
                AnswerRecord w = warmUp(b, s, clip);
                // the clip's chunks were decoded and stored before any round: their cost, per chunk
                io.micrometer.core.instrument.Timer t = b.app().metrics().stageTimer(VidqaMetrics.Stage.DECODE_STORE);
                decode = t == null ? new StreamReport.Decode(0, 0)
                        : new StreamReport.Decode(t.count(), t.mean(java.util.concurrent.TimeUnit.MILLISECONDS));
                List<QaEngine.Request> requests = new ArrayList<>();
                List<QaEngine.FrameRef> frames = storedFrames(b.app(), w.frameTimestamps());
                for (QuestionRecord q : questions(s, "direct", clip, QUESTIONS)) {
                    requests.add(new QaEngine.Request(frames, q.question(), null, c.answerOptions()));
                }
                // rounds of each way unmeasured: the first passes through the Kafka path and the batched
                // model compile their code (the JIT), which no later question pays again
                for (int warm = 0; warm < WARM_ROUNDS; warm++) {
                    KafkaPath.capacity(b, questions(s, "eos-warm" + warm + "-", clip, QUESTIONS), Duration.ofSeconds(600));
                    b.engine().answerAll(requests);
                }
                // rounds interleaved, medians kept: this machine's speed drifts with its neighbours' load
                for (int round = 0; round < ROUNDS; round++) {
                    r.eos().add(KafkaPath.capacity(b, questions(s, "eos" + round + "-", clip, QUESTIONS),
                            Duration.ofSeconds(600)));
                    // (b): grouped and split into max-batch batches by the engine, as for the processor
                    long t1 = System.nanoTime();
                    List<QaEngine.Outcome> outcomes = b.engine().answerAll(requests);
                    r.batched().add((System.nanoTime() - t1) / 1e9);
                    r.directStages().add(modelStages(outcomes));
                    // (a) on the frames the stream used, by the same engine
                    long t0 = System.nanoTime();
                    for (QaEngine.Request q : requests) {
                        b.engine().answer(q.frames(), q.question(), null, q.options());
                    }
                    r.one().add((System.nanoTime() - t0) / 1e9);
                }
                double rate = StreamReport.medianRound(r.eos()).perSecond() / 2;
                steady = KafkaPath.latency(b, questions(s, "steady", clip, (int) Math.min(200, Math.max(16, rate * 10))),
                        rate);
            }
            Properties q = applicationProperties(kafka, "bench-alos", state.resolve("alos"), 1);
            q.put("vidqa.model.dir", s.model().toString());
            q.put("processing.guarantee", "at_least_once");
            // its own questions and answers: a new application reads its input topics from the start,
            // and (c)'s questions must not be answered again inside (d)'s figure
            q.put("vidqa.topic.questions", "vidqa.questions.alos");
            q.put("vidqa.topic.answers", "vidqa.answers.alos");
            try (BenchApp b = BenchApp.start(VidqaConfig.from(q), client, s.model())) {
                warmUp(b, s, clip); // reads the same chunks from the topic
                for (int warm = 0; warm < WARM_ROUNDS; warm++) {
                    KafkaPath.capacity(b, questions(s, "alos-warm" + warm + "-", clip, QUESTIONS), Duration.ofSeconds(600));
                }
                for (int round = 0; round < ROUNDS; round++) {
                    r.alos().add(KafkaPath.capacity(b, questions(s, "alos" + round + "-", clip, QUESTIONS),
                            Duration.ofSeconds(600)));
                }
            }
            return StreamReport.print(s, c, clip, r, decode, steady, out);
        } finally {
            try (var f = Files.walk(state)) {
                f.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }

    /** Mean ms per question of the model's stages over one direct batched pass. */
    private static Map<VidqaMetrics.Stage, Double> modelStages(List<QaEngine.Outcome> outcomes) {
        double[] ms = new double[3];
        for (QaEngine.Outcome o : outcomes) {
            var t = o.answer().timings().perQuestion();
            ms[0] += t.visionMs();
            ms[1] += t.qformerMs();
            ms[2] += t.languageModelMs();
        }
        Map<VidqaMetrics.Stage, Double> out = new EnumMap<>(VidqaMetrics.Stage.class);
        out.put(VidqaMetrics.Stage.VISION, ms[0] / outcomes.size());
        out.put(VidqaMetrics.Stage.QFORMER, ms[1] / outcomes.size());
        out.put(VidqaMetrics.Stage.LM, ms[2] / outcomes.size());
        return out;
    }

    private static AnswerRecord warmUp(BenchApp b, Setup s, String clip) throws Exception {
        // the first answer also fills the feature cache and runs the model once
        QuestionRecord warm = questions(s, "warm", clip, 1).get(0);
        b.ask().send(warm);
        AnswerRecord w = b.watcher().await(List.of(warm.id()), Duration.ofSeconds(300), a -> { }, null).get(warm.id());
        if (w == null || !AnswerRecord.OK.equals(w.status())) {
            throw new IllegalStateException("warm-up question failed: " + w);
        }
        return w;
    }

    static List<QuestionRecord> questions(Setup s, String prefix, String clip, int n) {
        List<QuestionRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new QuestionRecord(prefix + i, "bench", s.questions().get(i % s.questions().size()),
                    Window.clip(clip), null, null));
        }
        return out;
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
