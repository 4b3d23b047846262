package dev.vidqa.topology.bench;

import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.app.VidqaMetrics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code vidqa bench stream} measured, round by round, and how it is printed: each way's
 * median with every round beside it, the headline (c)/(b) as the median of the rounds' own ratios,
 * and where a question's time goes in (c) beside the same model timings in (b).
 */
final class StreamReport {
    private StreamReport() {}

    /** Every round of the four ways: seconds for (a) and (b), capacity for (c) and (d); (b)'s model stages. */
    record Rounds(List<Double> one, List<Double> batched, List<KafkaPath.Capacity> eos, List<KafkaPath.Capacity> alos,
                  List<Map<VidqaMetrics.Stage, Double>> directStages) {
        Rounds() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        /** Each round's own (c)/(b): (c)'s rate over the round's (b) pass of {@code n} questions. */
        List<Double> ratios(int n) {
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < eos.size(); i++) {
                out.add(eos.get(i).perSecond() * batched.get(i) / n);
            }
            return out;
        }
    }

    /** The clip's chunks, decoded and stored before any round: how many, and the mean time of one. */
    record Decode(long chunks, double meanMs) {}

    static double print(StreamBenchmark.Setup s, VidqaConfig c, String clip, Rounds r, Decode decode,
                        KafkaPath.Latency steady, PrintStream out) {
        int n = StreamBenchmark.QUESTIONS;
        double oneAtATime = median(r.one());
        double batched = median(r.batched());
        KafkaPath.Capacity eos = medianRound(r.eos());
        KafkaPath.Capacity alos = medianRound(r.alos());
        out.printf("stream benchmark, %s: %d questions at once over %s, %s, one partition, in-process KRaft broker"
                        + " (sharing the cores); median of %d interleaved rounds [each round]; PyTorch"
                        + " intra-op threads %s (%d cores); glibc malloc mmap/trim thresholds %s/%s%n", s.label(), n, clip,
                c.model().answer().asKeys(), StreamBenchmark.ROUNDS, System.getProperty(dev.vidqa.qformer.Engines.THREADS_PROPERTY),
                Runtime.getRuntime().availableProcessors(), envOr("MALLOC_MMAP_THRESHOLD_", "default"),
                envOr("MALLOC_TRIM_THRESHOLD_", "default"));
        out.printf("  (a) direct, one at a time:     %6.1f questions/s  %6.2f ms/question  %s%n", n / oneAtATime,
                oneAtATime * 1000 / n, range(r.one().stream().map(x -> n / x).toList()));
        out.printf("  (b) direct, batched (max %d):   %6.1f questions/s  %6.2f ms/question  %s%n", c.questions().maxBatch(),
                n / batched, batched * 1000 / n, range(r.batched().stream().map(x -> n / x).toList()));
        out.printf("  (c) Kafka, exactly-once:       %6.1f questions/s  %6.2f ms/question  %s  (%.1f questions per"
                        + " beat)%n", eos.perSecond(), eos.seconds() * 1000 / n,
                range(r.eos().stream().map(KafkaPath.Capacity::perSecond).toList()), eos.meanBatch());
        out.printf("  (d) Kafka, at-least-once:      %6.1f questions/s  %6.2f ms/question  %s  (%.1f questions per"
                        + " beat)%n", alos.perSecond(), alos.seconds() * 1000 / n,
                range(r.alos().stream().map(KafkaPath.Capacity::perSecond).toList()), alos.meanBatch());
        List<Double> ratios = r.ratios(n);
        double ratio = median(ratios);
        out.printf("  (c)/(b) %.2f, median of the rounds' own %s;  (d)/(b) %.2f   (c)/(a) %.2f (medians);  (c) costs"
                        + " %.2f ms a question more than (b)%n", ratio, ratios.stream().map(x -> String.format(
                        java.util.Locale.ROOT, "%.2f", x)).collect(java.util.stream.Collectors.joining(" ", "[", "]")),
                alos.perSecond() * batched / n, eos.perSecond() * oneAtATime / n,
                eos.seconds() * 1000 / n - batched * 1000 / n);
        out.printf("  latency at %.1f questions/s (half of (c)), %d questions: p50 %.0f ms, p99 %.0f ms%n", steady.rate(),
                steady.questions(), steady.p50Ms(), steady.p99Ms());
        Map<VidqaMetrics.Stage, Double> direct = r.directStages().get(r.batched().indexOf(batched));
        out.println("  where a question's time goes (mean ms per question; (c): vidqa_stage_seconds over its median"
                + " round; (b): the same model timings in its median round):");
        out.printf("    %-13s %8s %8s%n", "stage", "(c)", "(b)");
        for (Map.Entry<VidqaMetrics.Stage, Double> e : eos.stageMs().entrySet()) {
            if (e.getKey() == VidqaMetrics.Stage.DECODE_STORE) {
                continue; // below, per chunk
            }
            Double b = direct.get(e.getKey());
            out.printf("    %-13s %8.2f %8s%n", e.getKey().word(), e.getValue(),
                    b == null ? "" : String.format(java.util.Locale.ROOT, "%.2f", b));
        }
        out.printf("    %-13s %8.2f           (per chunk, not per question: the clip's %d chunks, decoded and stored"
                + " before the rounds, which ask about stored frames)%n", "decode_store", decode.meanMs(), decode.chunks());
        out.printf("    %-13s %8.2f           (the stream thread's %d transaction commits in the round, at their mean"
                + " latency)%n", "commits", eos.commitsMsPerQuestion(), eos.commits());
        out.printf("    %-13s %8.2f           (answer handed over -> readable by a read-committed consumer; not"
                + " added: answers of one beat wait for each other)%n", "readable", eos.commitMs());
        return ratio;
    }

    private static String envOr(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : v;
    }

    /** Every round's figure, in the order they ran. */
    private static String range(List<Double> perSecond) {
        return perSecond.stream().map(x -> String.format(java.util.Locale.ROOT, "%.0f", x))
                .collect(java.util.stream.Collectors.joining(" ", "[", "]"));
    }

    static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    static KafkaPath.Capacity medianRound(List<KafkaPath.Capacity> rounds) {
        List<KafkaPath.Capacity> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingDouble(KafkaPath.Capacity::seconds));
        return sorted.get(sorted.size() / 2);
    }
}
