package dev.vidqa.topology.bench;

import dev.vidqa.answerer.bench.DecodeBenchmark;
import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.SyntheticVideo;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.topology.train.MixSampler;
import dev.vidqa.topology.train.TrainRun;
import dev.vidqa.topology.train.TrainSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code vidqa bench train}: training throughput, the feature store's effect on the second pass
 * over the same data, and resident memory over a long run (a native leak would grow it).
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    static Path clips(Path dir, int n) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // clips of different lengths: the feature store keys by content, so equal files would share entries
            SyntheticVideo.write(dir.resolve("c" + i + ".mp4"), SyntheticVideo.Spec.h264Mp4(160, 120, 10, 40 + i, 10));
            lines.add("{\"video\": \"c" + i + ".mp4\", \"question\": \"what is in clip " + i + "?\", \"answer\": \"a\"}");
        }
        Path file = dir.resolve("train.jsonl");
        Files.write(file, lines);
        return file;
    }

    static TrainSettings settings(Path model, TrainableParts parts, Path data, Path out, Path store, long steps, int batch) {
        return new TrainSettings(model, DeviceChoice.CPU, parts, List.of(data.toString()), List.of(), null, out, steps,
                batch, Math.min(batch, 8), 1e-4, 10, 0.05, 1.0, 1, SamplingSpec.headtail(4), MixSampler.Mode.SQRT, Map.of(),
                null, 0, 0, 0, 1, store, false);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    public static void run(Path tinyFixture, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("vidqa-train-bench");
        try {
            out.printf(Locale.ROOT, "torch intra-op threads: %s (cores: %d)%n",
                    System.getProperty(dev.vidqa.qformer.Engines.THREADS_PROPERTY, "default"), Runtime.getRuntime().availableProcessors());
            Path data = clips(dir, 16);
            Path store = dir.resolve("store-tiny");
            // 1. resident memory (first, in a process that has run nothing else) after 200 and after 2,000 steps
            long[] rss = new long[2];
            long[] heap = new long[2];
            new TrainRun(settings(tinyFixture, TrainableParts.QFORMER, data, dir.resolve("long"), store, 2000, 8), quiet())
                    .onStep(s -> {
                        int i = s == 200 ? 0 : s == 2000 ? 1 : -1;
                        if (i >= 0) {
                            System.gc(); // like for like: collected heap, dropped mappings unmapped
                            rss[i] = DecodeBenchmark.residentBytes();
                            heap[i] = Runtime.getRuntime().totalMemory();
                        }
                    }).run();
            long native0 = rss[0] - heap[0];
            long native1 = rss[1] - heap[1];
            out.printf(Locale.ROOT, "resident memory, tiny fixture, batch 8: %.0f MB after 200 steps, %.0f MB after 2,000:"
                            + " %+.1f%% (target <= +5%%); outside the Java heap %.0f MB -> %.0f MB (%+.1f%%)%n",
                    rss[0] / 1e6, rss[1] / 1e6, 100.0 * (rss[1] - rss[0]) / rss[0], native0 / 1e6, native1 / 1e6,
                    100.0 * (native1 - native0) / native0);
            // 2. throughput on the tiny configuration, features already stored (the steady state)
            new TrainRun(settings(tinyFixture, TrainableParts.QFORMER, data, dir.resolve("warm"), store, 8, 16), quiet()).run();
            TrainRun.Outcome q = new TrainRun(settings(tinyFixture, TrainableParts.QFORMER, data, dir.resolve("q"), store, 40, 16),
                    quiet()).run();
            TrainRun.Outcome all = new TrainRun(settings(tinyFixture, TrainableParts.ALL, data, dir.resolve("all"),
                    dir.resolve("store-px"), 40, 16), quiet()).run();
            out.printf(Locale.ROOT, "tiny fixture (vision 64x2, 56 px; Q-Former 48x2; T5 64 2+2), batch 16 x 4 frames:"
                    + " --train qformer %.1f samples/s (features from the store), --train all %.1f samples/s%n",
                    q.samplesPerSecond(), all.samplesPerSecond());

            // 3. the feature store when the vision encoder dominates: a ViT-B-sized encoder (768 x 12, 224 px)
            Path vit = FeatureCacheBenchmark.checkpoint(tinyFixture, dir.resolve("vitb"));
            Path vitStore = dir.resolve("store-vitb");
            TrainRun.Outcome first = new TrainRun(settings(vit, TrainableParts.QFORMER, data, dir.resolve("e1"), vitStore, 8, 8),
                    quiet()).run();
            TrainRun.Outcome second = new TrainRun(settings(vit, TrainableParts.QFORMER, data, dir.resolve("e2"), vitStore, 8, 8),
                    quiet()).run();
            out.printf(Locale.ROOT, "feature store, ViT-B-sized vision + tiny Q-Former/T5, 64 samples over 16 clips:"
                            + " first pass %.1f s (%d videos decoded and encoded), second pass %.1f s (%d): %.2fx"
                            + " (target <= 0.3)%n", first.seconds(), first.storeMisses(), second.seconds(),
                    second.storeMisses(), second.seconds() / first.seconds());

        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
