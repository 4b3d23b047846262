package dev.vidqa.topology.bench;

import dev.vidqa.answerer.bench.DecodeBenchmark;
import dev.vidqa.frames.SyntheticVideo;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.ingest.Chunk;
import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.topology.app.VideoQaProcessor;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.kafka.EmbeddedKafka;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code vidqa bench soak}: minutes of a live stream (the sample video looped, its stream time
 * advancing in real time, a question every few seconds) beside 100 short streams that send one clip
 * each and stop. Prints resident memory and what the state stores hold over time: with idle streams
 * expired and old frames retired, both must level off instead of growing.
 */
public final class SoakBenchmark {
    private SoakBenchmark() {}

    public static void run(Path model, Path video, Duration length, PrintStream out) throws Exception {
        Path state = Files.createTempDirectory("vidqa-soak-state");
        Path clips = Files.createTempDirectory("vidqa-soak-clips");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties p = StreamBenchmark.applicationProperties(kafka, "vidqa-soak", state, 2);
            p.put("vidqa.frames.retention-seconds", "30");
            p.put("vidqa.frames.idle-expiry-seconds", "45");
            p.put("vidqa.questions.wait-seconds", "5");
            VidqaConfig c = VidqaConfig.from(p);
            Properties client = StreamBenchmark.clientProperties(kafka);
            List<Chunk> live = new ArrayList<>();
            new Chunker(2.0).cut(new VideoSource.File(video), "live", null, 0, live::add, () -> false);
            double loop = live.get(live.size() - 1).end();
            try (BenchApp b = BenchApp.start(c, client, model)) {
                VidqaApp app = b.app();
                AnswerWatcher watcher = b.watcher();
                QuestionPublisher ask = b.ask();
                ChunkPublisher chunks = b.chunks();
                // 100 streams that send one short clip each and then fall silent
                Path shortClip = clips.resolve("short.mp4");
                SyntheticVideo.write(shortClip, SyntheticVideo.Spec.h264Mp4(160, 120, 10, 20, 10));
                for (int i = 0; i < 100; i++) {
                    String id = "short-" + i;
                    new Chunker(2.0).cut(new VideoSource.File(shortClip), id, "short.mp4", 0, chunks::publish, () -> false);
                }
                out.printf(Locale.ROOT, "soak: a live stream (%s looped in real time) and 100 one-clip streams; retention"
                        + " 30 s of stream time, idle expiry 45 s; %d s%n", video.getFileName(), length.toSeconds());
                out.printf(Locale.ROOT, "%8s %10s %14s %10s %8s%n", "time s", "RSS MB", "stored frames", "streams", "answers");
                AtomicInteger answers = new AtomicInteger();
                long t0 = System.nanoTime();
                long nextReport = 0;
                long seq = 0;
                int q = 0;
                for (int round = 0; System.nanoTime() - t0 < length.toNanos(); round++) {
                    for (Chunk ch : live) {
                        double offset = round * loop;
                        chunks.publish(new Chunk("live", seq++, ch.data(), ch.container(), ch.start() + offset,
                                ch.end() + offset, System.currentTimeMillis(), null, false));
                        ask.send(new QuestionRecord("soak-" + q++, "live", "what is happening?", Window.latest(4), null,
                                null));
                        long until = System.nanoTime() + (long) ((ch.end() - ch.start()) * 1e9);
                        while (System.nanoTime() < until) {
                            watcher.poll(Duration.ofMillis(100), a -> answers.incrementAndGet());
                        }
                        long elapsed = (System.nanoTime() - t0) / 1_000_000_000L;
                        if (elapsed >= nextReport) {
                            nextReport = elapsed + 20;
                            System.gc();
                            out.printf(Locale.ROOT, "%8d %10.0f %14d %10d %8d%n", elapsed,
                                    DecodeBenchmark.residentBytes() / 1e6, count(app, VideoQaProcessor.FRAMES_STORE),
                                    count(app, VideoQaProcessor.STREAMS_STORE), answers.get());
                        }
                        if (System.nanoTime() - t0 >= length.toNanos()) {
                            break;
                        }
                    }
                }
            }
        } finally {
            for (Path dir : List.of(state, clips)) {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /** Entries of a state store across this instance's tasks (interactive query). */
    static long count(VidqaApp app, String store) {
        try {
            ReadOnlyKeyValueStore<String, byte[]> s = app.streams().store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            long n = 0;
            try (var it = s.all()) {
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
            }
            return n;
        } catch (RuntimeException rebalancing) {
            return -1;
        }
    }
}
