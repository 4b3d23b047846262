package dev.vidqa.topology.app;

import dev.vidqa.answerer.Answer;
import dev.vidqa.topology.failure.FailureKind;
import dev.vidqa.topology.pipeline.QaEngine;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.store.FrameKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Emits answers: an answer, {@code no-frames} or an {@code error} with its kind. Emitting forgets
 * the pending question and remembers its id, in the same transaction: a question is answered once.
 */
final class AnswerWriter {
    /** Longest text an answer echoes (question, error): an answer must fit a record whatever it answers. */
    static final int MAX_ECHO_CHARS = 1000;

    private final ProcessorContext<byte[], byte[]> context;
    private final KeyValueStore<String, byte[]> pending;
    private final KeyValueStore<String, Long> answered;
    private final String model;
    private final VidqaMetrics metrics;

    AnswerWriter(ProcessorContext<byte[], byte[]> context, KeyValueStore<String, byte[]> pending,
                 KeyValueStore<String, Long> answered, String model, VidqaMetrics metrics) {
        this.context = context;
        this.pending = pending;
        this.answered = answered;
        this.model = model;
        this.metrics = metrics;
    }

    void answer(PendingQuestion pq, Answer answer, List<QaEngine.FrameRef> frames) {
        List<AnswerRecord.Candidate> candidates = answer.candidates().isEmpty() ? null
                : answer.candidates().stream().map(c -> new AnswerRecord.Candidate(c.text(), c.score())).toList();
        emit(pq, answer.text(), answer.score(), candidates, frameTimes(frames), AnswerRecord.OK, null, null);
    }

    /** The stream times of the frames an answer looked at, to the microsecond, as answers and incidents say them. */
    static List<Double> frameTimes(List<QaEngine.FrameRef> frames) {
        return frames.stream().map(f -> Math.round(f.time() * 1e6) / 1e6).toList();
    }

    void noFrames(PendingQuestion pq, String why) {
        emit(pq, null, null, null, null, AnswerRecord.NO_FRAMES, why, null);
    }

    void error(PendingQuestion pq, FailureKind kind, String message) {
        emit(pq, null, null, null, null, AnswerRecord.ERROR, message, kind);
    }

    private void emit(PendingQuestion pq, String text, Double score, List<AnswerRecord.Candidate> candidates,
                      List<Double> frameTimes, String status, String error, FailureKind kind) {
        long now = context.currentSystemTimeMs();
        long latency = pq.recordTimestamp() > 0 ? now - pq.recordTimestamp() : 0;
        QuestionRecord q = pq.question();
        AnswerRecord a = new AnswerRecord(q.id(), pq.streamId(), clip(q.question()), text, score, candidates, frameTimes,
                model, status, clip(error), kind == null ? null : kind.word(), pq.watch() == null ? null : pq.watch().watchId(),
                pq.watch() == null ? null : q.window().from(), pq.watch() == null ? null : q.window().to(),
                latency, Instant.ofEpochMilli(now).toString());
        send(a, FrameKeys.pending(pq.streamId(), q.id()), now);
    }

    /**
     * A pending question whose stored bytes cannot be read (damaged, or written by an incompatible
     * version) still gets an answer: an {@code error} naming the question and the reason.
     */
    void unreadable(String pendingKey, Exception e) {
        long now = context.currentSystemTimeMs();
        String reason = "the stored question could not be read (" + e.getClass().getSimpleName() + ": "
                + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "); please ask again";
        AnswerRecord a = new AnswerRecord(FrameKeys.pendingQuestion(pendingKey), FrameKeys.pendingStream(pendingKey), null,
                null, null, null, null, model, AnswerRecord.ERROR, clip(reason), FailureKind.INFRASTRUCTURE.word(), null,
                null, null, 0,
                Instant.ofEpochMilli(now).toString());
        send(a, pendingKey, now);
    }

    private void send(AnswerRecord a, String pendingKey, long now) {
        context.forward(new Record<>(a.streamId().getBytes(StandardCharsets.UTF_8), Json.write(a), now),
                VideoQaProcessor.ANSWERS_SINK);
        answered.put(a.questionId(), now);
        pending.delete(pendingKey);
        metrics.answered(a.status(), a.latencyMs());
    }

    static String clip(String s) {
        if (s == null || s.length() <= MAX_ECHO_CHARS) {
            return s;
        }
        return s.substring(0, MAX_ECHO_CHARS) + "... (" + s.length() + " characters in all)";
    }
}
