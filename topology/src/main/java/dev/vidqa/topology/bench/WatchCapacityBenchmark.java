package dev.vidqa.topology.bench;

import dev.vidqa.frames.VideoSource;
import dev.vidqa.ingest.Chunk;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.topology.app.TopicAdmin;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.CompactedTopic;
import dev.vidqa.topology.kafka.EmbeddedKafka;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.WatchRecord;
import dev.vidqa.topology.records.Window;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * {@code vidqa bench watches}: how many (watch, stream) pairs one instance evaluates in real time at
 * {@code every} = 2 s — the figure operators size by. Streams send 2 s chunks at the pace of a live
 * camera (one every 2 s of wall clock, the world model's sample clips looped); each step adds more
 * streams and watches (every watch on every stream of its step) and runs for a fixed time. A step
 * is real time when every due evaluation was answered, none skipped, and the 99th-percentile
 * evaluation latency stays under {@code every}.
 */
public final class WatchCapacityBenchmark {
    static final double EVERY = 2.0;
    static final String[] QUESTIONS = {"is there a red circle?", "is there a blue square?", "is there a green triangle?",
        "is there a yellow circle?", "is there a white square?", "is there a red square?", "is there a blue triangle?",
        "is there a green circle?"};

    /** One step: streams x watches. */
    record Step(int streams, int watches) {
        int pairs() {
            return streams * watches;
        }
    }

    static final List<Step> STEPS = List.of(new Step(1, 2), new Step(2, 4), new Step(4, 4), new Step(4, 8),
            new Step(8, 8), new Step(8, 16), new Step(12, 16), new Step(16, 16), new Step(16, 32));

    private WatchCapacityBenchmark() {}

    public static void run(Path model, Path clips, Duration perStep, PrintStream out) throws Exception {
        List<Chunk> feed = new ArrayList<>();
        double offset = 0;
        try (var files = Files.list(clips)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".mp4")).sorted().toList()) {
                List<Chunk> part = new ArrayList<>();
                new Chunker(EVERY).cut(new VideoSource.File(f), "feed", null, 0, part::add, () -> false);
                for (Chunk c : part) {
                    feed.add(new Chunk("feed", feed.size(), c.data(), c.container(), c.start() + offset, c.end() + offset,
                            0, null, false));
                }
                offset += part.get(part.size() - 1).end();
            }
        }
        double loop = offset;
        Path state = Files.createTempDirectory("vidqa-bench-watches");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties p = StreamBenchmark.applicationProperties(kafka, "vidqa-bench-watches", state, 4);
            p.put("vidqa.frames.store-fps", "10"); // as the world model saw its clips in training (as the demo)
            VidqaConfig c = VidqaConfig.from(p);
            Properties client = StreamBenchmark.clientProperties(kafka);
            TopicAdmin.ensure(client, c.topics(), 4, (short) 1);
            CompactedTopic<WatchRecord> watches = new CompactedTopic<>(client, c.topics().watches().name(), WatchRecord.class);
            try (BenchApp b = BenchApp.start(c, client, model)) {
                out.printf(Locale.ROOT, "watches: every %.0f s over the latest 4 s, %s, chunks of %.0f s at a live camera's"
                        + " pace (%d s a step), PyTorch threads %d, on %d cores%n", EVERY, model.getFileName(), EVERY,
                        perStep.toSeconds(), c.model().torchThreads(), Runtime.getRuntime().availableProcessors());
                out.printf(Locale.ROOT, "%8s %8s %6s %6s %9s %8s %8s %9s %9s %8s  %s%n", "streams", "watches", "pairs",
                        "due", "answered", "skipped", "evals/s", "p50 ms", "p99 ms", "lag s", "real time");
                int best = 0;
                for (int k = 0; k < STEPS.size(); k++) {
                    Step s = STEPS.get(k);
                    String prefix = "w" + k + "-";
                    for (int w = 0; w < s.watches(); w++) {
                        watches.put(prefix + w, new WatchRecord(prefix + w, null, prefix + "*", QUESTIONS[w % QUESTIONS.length]
                                + (w >= QUESTIONS.length ? " (" + w + ")" : ""), EVERY, Window.latest(4), null, null,
                                new WatchRecord.Trigger(List.of("yes"), null), 2, 3));
                    }
                    Thread.sleep(1000); // the global store has them before the first chunk
                    double skipped0 = b.app().metrics().count("vidqa.watch.evaluations.skipped");
                    List<Double> latencies = new ArrayList<>();
                    Pace pace = new Pace(b, feed, loop, s, prefix, latencies);
                    long t0 = System.nanoTime();
                    pace.run(perStep);
                    long due = pace.due;
                    // what was due is answered within one more period, or it was not real time
                    long end = System.nanoTime() + (long) (EVERY * 1e9);
                    while (System.nanoTime() < end) {
                        collect(b, prefix, latencies, Duration.ofMillis(100));
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double lag = pace.lag(); // the furthest a stream of the step is behind live at its end
                    long skipped = Math.round(b.app().metrics().count("vidqa.watch.evaluations.skipped") - skipped0);
                    latencies.sort(null);
                    double p50 = KafkaPath.percentile(latencies, 0.5);
                    double p99 = KafkaPath.percentile(latencies, 0.99);
                    boolean realTime = skipped == 0 && latencies.size() >= due && p99 < EVERY * 1000;
                    if (realTime) {
                        best = Math.max(best, s.pairs());
                    }
                    out.printf(Locale.ROOT, "%8d %8d %6d %6d %9d %8d %8.1f %9.0f %9.0f %8.1f  %s%n", s.streams(),
                            s.watches(), s.pairs(), due, latencies.size(), skipped, latencies.size() / seconds, p50, p99, lag,
                            realTime ? "yes" : "no");
                    if (!realTime) {
                        // beyond capacity: the same load twice as long again shows what overload does (evaluations
                        // skipped, the lag held near vidqa.watches.max-lag-seconds); the next steps only ask for more
                        double skipped1 = b.app().metrics().count("vidqa.watch.evaluations.skipped");
                        long before = pace.due;
                        pace.run(perStep.multipliedBy(2));
                        long overloadDue = pace.due - before;
                        long overloadSkipped = Math.round(b.app().metrics().count("vidqa.watch.evaluations.skipped") - skipped1);
                        out.printf(Locale.ROOT, "overload, %d pairs %d s more: %d due, %d evaluations skipped (%.0f %%),"
                                + " lag behind live at most %.1f s (max lag setting %.0f s)%n", s.pairs(),
                                perStep.multipliedBy(2).toSeconds(), overloadDue, overloadSkipped,
                                100.0 * overloadSkipped / Math.max(1, overloadDue), pace.maxLag,
                                c.questions().watchMaxLag().toMillis() / 1000.0);
                    }
                    for (int w = 0; w < s.watches(); w++) {
                        watches.remove(prefix + w);
                    }
                    if (!realTime) {
                        break;
                    }
                }
                out.printf(Locale.ROOT, "watch capacity: %d (watch, stream) pairs in real time at every %.0f s%n", best, EVERY);
            }
        } finally {
            try (var f = Files.walk(state)) {
                f.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }

    /** Chunks to every stream of a step at a live camera's pace, one 2 s chunk per 2 s of wall clock. */
    static final class Pace {
        final BenchApp b;
        final List<Chunk> feed;
        final double loop;
        final Step step;
        final String prefix;
        final List<Double> latencies;
        int tick;
        double streamTime;
        long due;
        double maxLag;

        Pace(BenchApp b, List<Chunk> feed, double loop, Step step, String prefix, List<Double> latencies) {
            this.b = b;
            this.feed = feed;
            this.loop = loop;
            this.step = step;
            this.prefix = prefix;
            this.latencies = latencies;
        }

        void run(Duration length) throws Exception {
            long t0 = System.nanoTime();
            int ticks = 0;
            while (System.nanoTime() - t0 < length.toNanos()) {
                Chunk src = feed.get(tick % feed.size());
                double shift = (tick / feed.size()) * loop;
                for (int i = 0; i < step.streams(); i++) {
                    b.chunks().publish(new Chunk(prefix + "cam-" + i, tick, src.data(), src.container(), src.start() + shift,
                            src.end() + shift, System.currentTimeMillis(), null, false));
                }
                double newTime = src.end() + shift;
                // one evaluation per multiple of `every` the streams' time passes
                due += (long) step.pairs() * (long) (Math.floor(newTime / EVERY + 1e-9) - Math.floor(streamTime / EVERY + 1e-9));
                streamTime = newTime;
                tick++;
                ticks++;
                long next = t0 + (long) (ticks * EVERY * 1e9);
                while (System.nanoTime() < next) {
                    collect(b, prefix, latencies, Duration.ofMillis(Math.max(1, (next - System.nanoTime()) / 1_000_000)));
                }
                maxLag = Math.max(maxLag, lag());
            }
        }

        /** How far the step's furthest stream is behind live now (0 before any stream has a gauge). */
        double lag() {
            double lag = 0;
            for (int i = 0; i < step.streams(); i++) {
                double l = b.app().metrics().streamLagSeconds(prefix + "cam-" + i);
                lag = Double.isNaN(l) ? lag : Math.max(lag, l);
            }
            return lag;
        }
    }

    private static void collect(BenchApp b, String prefix, List<Double> latencies, Duration wait) {
        b.watcher().poll(wait, (AnswerRecord a) -> {
            if (a.watchId() != null && a.watchId().startsWith(prefix)) {
                latencies.add((double) a.latencyMs());
            }
        });
    }
}
