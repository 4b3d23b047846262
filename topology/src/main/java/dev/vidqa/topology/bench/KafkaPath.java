package dev.vidqa.topology.bench;

import dev.vidqa.topology.app.VidqaMetrics;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.QuestionRecord;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Questions through a running application and the broker: all at once (capacity), or at a steady
 * rate (latency); what each stage took comes from the application's {@code vidqa_stage_seconds}
 * timers, commit from the consumer's side (an answer is readable, read-committed, this long after
 * the processor handed it over).
 */
final class KafkaPath {
    private KafkaPath() {}

    /**
     * Capacity and where the time went, all of it this round's own (the timers' change over the
     * round): mean ms per question by stage; the stream thread's transaction commits (count and
     * their time per question); answer handed over to readable.
     */
    record Capacity(int questions, double seconds, double meanBatch, Map<VidqaMetrics.Stage, Double> stageMs,
                    double commitMs, long commits, double commitsMsPerQuestion) {
        double perSecond() {
            return questions / seconds;
        }
    }

    /** Counts and totals of the stage timers, the question batches and the stream threads' commits. */
    private record Snapshot(Map<VidqaMetrics.Stage, double[]> stages, double batches, double batched, double commits,
                            double commitMs) {
        static Snapshot of(BenchApp b) {
            Map<VidqaMetrics.Stage, double[]> stages = new EnumMap<>(VidqaMetrics.Stage.class);
            for (VidqaMetrics.Stage s : VidqaMetrics.Stage.values()) {
                Timer t = b.app().metrics().stageTimer(s);
                stages.put(s, t == null ? new double[2] : new double[] {t.count(), t.totalTime(TimeUnit.MILLISECONDS)});
            }
            var batch = b.app().metrics().registry().find("vidqa.questions.batch.size").summary();
            double commits = 0;
            double commitMs = 0;
            for (var e : b.app().streams().metrics().entrySet()) {
                // per stream thread: how many commits, and their mean latency (ms) over the metric's window
                if ("stream-thread-metrics".equals(e.getKey().group())
                        && e.getValue().metricValue() instanceof Number v) {
                    if ("commit-total".equals(e.getKey().name())) {
                        commits += v.doubleValue();
                    } else if ("commit-latency-avg".equals(e.getKey().name()) && !Double.isNaN(v.doubleValue())) {
                        commitMs = v.doubleValue();
                    }
                }
            }
            return new Snapshot(stages, batch == null ? 0 : batch.count(), batch == null ? 0 : batch.totalAmount(),
                    commits, commitMs);
        }
    }

    /** Latency of questions sent at a steady rate. */
    record Latency(double rate, int questions, double p50Ms, double p99Ms) {}

    /** Sends every question at once and waits for every answer. */
    static Capacity capacity(BenchApp b, List<QuestionRecord> questions, Duration timeout) throws Exception {
        List<Double> commit = new ArrayList<>();
        Snapshot before = Snapshot.of(b);
        long t0 = System.nanoTime();
        b.ask().sendAll(questions);
        Map<String, AnswerRecord> got = b.watcher().await(ids(questions), timeout, a -> commit.add(commitMs(a)), null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        check(got, questions);
        Snapshot after = Snapshot.of(b);
        Map<VidqaMetrics.Stage, Double> stages = new EnumMap<>(VidqaMetrics.Stage.class);
        for (VidqaMetrics.Stage s : VidqaMetrics.Stage.values()) {
            double n = after.stages().get(s)[0] - before.stages().get(s)[0];
            double ms = after.stages().get(s)[1] - before.stages().get(s)[1];
            stages.put(s, n == 0 ? 0 : ms / n);
        }
        double batches = after.batches() - before.batches();
        long commits = Math.round(after.commits() - before.commits());
        return new Capacity(questions.size(), seconds, batches == 0 ? 0 : (after.batched() - before.batched()) / batches,
                stages, mean(commit), commits, commits * after.commitMs() / questions.size());
    }

    /** Sends {@code questions} at {@code rate} per second; latency from each send to its answer's arrival. */
    static Latency latency(BenchApp b, List<QuestionRecord> questions, double rate) throws Exception {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        Thread sender = new Thread(() -> {
            long start = System.nanoTime();
            try {
                for (int i = 0; i < questions.size(); i++) {
                    long due = start + Math.round(i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    sent.put(questions.get(i).id(), System.nanoTime());
                    b.ask().send(questions.get(i));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "bench-steady-sender");
        sender.start();
        Map<String, AnswerRecord> got = b.watcher().await(ids(questions), Duration.ofSeconds(300),
                a -> arrived.put(a.questionId(), System.nanoTime()), null);
        sender.join();
        check(got, questions);
        List<Double> ms = new ArrayList<>();
        arrived.forEach((id, t) -> ms.add((t - sent.get(id)) / 1e6));
        ms.sort(null);
        return new Latency(rate, ms.size(), percentile(ms, 0.5), percentile(ms, 0.99));
    }

    private static double commitMs(AnswerRecord a) {
        return Math.max(0, System.currentTimeMillis() - Instant.parse(a.answeredAt()).toEpochMilli());
    }

    private static List<String> ids(List<QuestionRecord> qs) {
        return qs.stream().map(QuestionRecord::id).toList();
    }

    private static void check(Map<String, AnswerRecord> got, List<QuestionRecord> questions) {
        if (got.size() != questions.size()) {
            throw new IllegalStateException(got.size() + " of " + questions.size() + " answered");
        }
        for (AnswerRecord a : got.values()) {
            if (!AnswerRecord.OK.equals(a.status())) {
                throw new IllegalStateException("question " + a.questionId() + ": " + a.status() + " " + a.error());
            }
        }
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
