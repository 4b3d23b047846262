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
    static final int QUESTIONS = 64;
    /** Each way is measured this many times, interleaved; the median is reported. */
    static final int ROUNDS = 5;

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
            KafkaPath.Capacity eos;
            KafkaPath.Capacity alos;
            KafkaPath.Latency steady;
            double oneAtATime;
            double batched;
            VidqaConfig c;
            Properties p = applicationProperties(kafka, "bench-eos", state.resolve("eos"), 1);
            p.put("vidqa.model.dir", s.model().toString()); // the model's own answer settings
            c = VidqaConfig.from(p);
            try (BenchApp b = BenchApp.start(c, client, s.model())) {
                new Ingestor(new Chunker(2.0), b.chunks()::publish).ingest("bench", s.video().toString());
                AnswerRecord w = warmUp(b, s, clip);
                List<QaEngine.Request> requests = new ArrayList<>();
                List<QaEngine.FrameRef> frames = storedFrames(b.app(), w.frameTimestamps());
                for (QuestionRecord r : questions(s, "direct", clip, QUESTIONS)) {
                    requests.add(new QaEngine.Request(frames, r.question(), null, c.answerOptions()));
                }
                // rounds interleaved, medians kept: this machine's speed drifts with its neighbours' load
                List<KafkaPath.Capacity> rounds = new ArrayList<>();
                List<Double> one = new ArrayList<>();
                List<Double> all = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    rounds.add(KafkaPath.capacity(b, questions(s, "eos" + round + "-", clip, QUESTIONS),
                            Duration.ofSeconds(600)));
                    // (b): grouped and split into max-batch batches by the engine, as for the processor
                    long t1 = System.nanoTime();
                    b.engine().answerAll(requests);
                    all.add((System.nanoTime() - t1) / 1e9);
                    // (a) on the frames the stream used, by the same engine
                    long t0 = System.nanoTime();
                    for (QaEngine.Request r : requests) {
                        b.engine().answer(r.frames(), r.question(), null, r.options());
                    }
                    one.add((System.nanoTime() - t0) / 1e9);
                }
                eos = medianRound(rounds);
                oneAtATime = median(one);
                batched = median(all);
                steady = KafkaPath.latency(b, questions(s, "steady", clip,
                        (int) Math.min(200, Math.max(16, eos.perSecond() / 2 * 10))), eos.perSecond() / 2);
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
                List<KafkaPath.Capacity> rounds = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    rounds.add(KafkaPath.capacity(b, questions(s, "alos" + round + "-", clip, QUESTIONS),
                            Duration.ofSeconds(600)));
                }
                alos = medianRound(rounds);
            }
            return print(s, c, clip, oneAtATime, batched, eos, alos, steady, out);
        } finally {
            try (var f = Files.walk(state)) {
                f.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }

    private static double print(Setup s, VidqaConfig c, String clip, double oneAtATime, double batched,
                                KafkaPath.Capacity eos, KafkaPath.Capacity alos, KafkaPath.Latency steady,
                                PrintStream out) {
        int n = QUESTIONS;
        out.printf("stream benchmark, %s: %d questions over %s, %s, one partition, in-process KRaft broker (sharing the"
                        + " cores); median of %d rounds; PyTorch intra-op threads %s (%d cores)%n", s.label(), n, clip,
                c.model().answer().asKeys(), ROUNDS,
                System.getProperty(dev.vidqa.qformer.Engines.THREADS_PROPERTY), Runtime.getRuntime().availableProcessors());
        out.printf("  (a) direct, one at a time:     %6.1f questions/s  %6.1f ms/question%n", n / oneAtATime,
                oneAtATime * 1000 / n);
        out.printf("  (b) direct, batched (max %d):   %6.1f questions/s  %6.1f ms/question%n", c.questions().maxBatch(),
                n / batched, batched * 1000 / n);
        out.printf("  (c) Kafka, exactly-once:       %6.1f questions/s  %6.1f ms/question  (%.1f questions per batch)%n",
                eos.perSecond(), eos.seconds() * 1000 / n, eos.meanBatch());
        out.printf("  (d) Kafka, at-least-once:      %6.1f questions/s  %6.1f ms/question  (%.1f questions per batch)%n",
                alos.perSecond(), alos.seconds() * 1000 / n, alos.meanBatch());
        out.printf("  (c)/(b) %.2f   (d)/(b) %.2f   (c)/(a) %.2f%n", eos.perSecond() * batched / n,
                alos.perSecond() * batched / n, eos.perSecond() * oneAtATime / n);
        out.printf("  latency at %.1f questions/s (half of (c)), %d questions: p50 %.0f ms, p99 %.0f ms%n", steady.rate(),
                steady.questions(), steady.p50Ms(), steady.p99Ms());
        out.println("  where a question's time goes in (c) (vidqa_stage_seconds, mean ms per question):");
        for (Map.Entry<VidqaMetrics.Stage, Double> e : eos.stageMs().entrySet()) {
            out.printf("    %-13s %8.2f%n", e.getKey().word(), e.getValue());
        }
        out.printf("    %-13s %8.2f  (answer handed over -> readable by a read-committed consumer)%n", "commit",
                eos.commitMs());
        return eos.perSecond() * batched / n;
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static KafkaPath.Capacity medianRound(List<KafkaPath.Capacity> rounds) {
        List<KafkaPath.Capacity> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingDouble(KafkaPath.Capacity::seconds));
        return sorted.get(sorted.size() / 2);
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
