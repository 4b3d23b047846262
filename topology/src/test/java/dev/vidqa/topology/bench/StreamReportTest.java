package dev.vidqa.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.app.VidqaMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamReportTest {
    static final int N = StreamBenchmark.QUESTIONS;

    /** A (c) round that took {@code seconds} for the round's questions. */
    static KafkaPath.Capacity eos(double seconds) {
        Map<VidqaMetrics.Stage, Double> stages = new EnumMap<>(VidqaMetrics.Stage.class);
        for (VidqaMetrics.Stage s : VidqaMetrics.Stage.values()) {
            stages.put(s, 1.0);
        }
        return new KafkaPath.Capacity(N, seconds, 8, stages, 100, 2, 0.1);
    }

    /**
     * The machine slows down in the middle rounds: both (b) and (c) take twice as long there. Each
     * round's own ratio is 0.8; the medians taken apart would pair a fast (b) with a slow (c).
     */
    static StreamReport.Rounds drifting() {
        StreamReport.Rounds r = new StreamReport.Rounds();
        double[] speed = {1, 1, 2, 2, 2, 1, 1}; // the shared machine's slow spell
        for (double k : speed) {
            r.batched().add(0.8 * k);
            r.eos().add(eos(1.0 * k));
            r.one().add(3.0 * k);
            r.alos().add(eos(0.9 * k));
            r.directStages().add(Map.of(VidqaMetrics.Stage.QFORMER, 1.0, VidqaMetrics.Stage.LM, 2.0,
                    VidqaMetrics.Stage.VISION, 0.0));
        }
        return r;
    }

    /**
     * A slow spell of the machine lasts rounds 2-6 for (c) but only 3-5 for (b) (the (b) pass of a
     * round is shorter and runs after (c)): each round's own ratio is 0.8 in the five rounds where
     * both sides ran at the same speed, so the headline is 0.8; the medians taken apart (b 0.8 s,
     * c 2.0 s) would say 0.4.
     */
    @Test
    void theHeadlineIsTheMedianOfEachRoundsOwnRatio() {
        StreamReport.Rounds uneven = new StreamReport.Rounds();
        double[] b = {1, 1, 2, 2, 2, 1, 1};
        double[] c = {1, 2, 2, 2, 2, 2, 1};
        for (int i = 0; i < 7; i++) {
            uneven.batched().add(0.8 * b[i]);
            uneven.eos().add(eos(1.0 * c[i]));
        }
        assertEquals(List.of(0.8, 0.4, 0.8, 0.8, 0.8, 0.4, 0.8), uneven.ratios(N).stream()
                .map(x -> Math.round(x * 1000) / 1000.0).toList());
        assertEquals(0.8, StreamReport.median(uneven.ratios(N)), 1e-9);
        double apart = N / StreamReport.medianRound(uneven.eos()).seconds() * StreamReport.median(uneven.batched()) / N;
        assertEquals(0.4, apart, 1e-9, "what the medians taken apart would have said");
    }

    @Test
    void theLastPrintedFiguresAreTheHeadlineAndEveryRound() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:1");
        VidqaConfig c = VidqaConfig.from(p);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double ratio = StreamReport.print(new StreamBenchmark.Setup("test", Path.of("m"), Path.of("clip.mp4"), List.of("q?")),
                c, "clip.mp4", drifting(), new StreamReport.Decode(4, 142), new KafkaPath.Latency(50, 100, 120, 250),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0.8, ratio, 1e-9);
        assertTrue(out.contains("(c)/(b) 0.80, median of the rounds' own [0.80 0.80 0.80 0.80 0.80 0.80 0.80]"), out);
        assertTrue(out.contains("[256 256 128 128 128 256 256]"), "every (c) round's rate, in order: " + out);
        assertTrue(out.contains("p50 120 ms, p99 250 ms"), out);
        assertTrue(out.contains("142.00           (per chunk, not per question: the clip's 4 chunks"), out);
    }
}
