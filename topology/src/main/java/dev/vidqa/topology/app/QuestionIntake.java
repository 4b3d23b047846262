package dev.vidqa.topology.app;

import dev.vidqa.topology.failure.InvalidRequestException;
import dev.vidqa.topology.pipeline.AnswerSettings;
import dev.vidqa.topology.records.InvalidQuestionException;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.store.FrameKeys;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The question path: validate → pending. A question that cannot even be answered (not JSON, no id,
 * no stream) is refused to the dead-letter topic; one with an id that asks something invalid gets
 * an {@code error} answer; a repeated id is ignored; the rest is stored in the pending store before
 * anything else, so a question is never lost between its offset's commit and its answer.
 */
final class QuestionIntake {
    private static final Logger LOG = LoggerFactory.getLogger(QuestionIntake.class);

    /** What became of a question record. */
    sealed interface Outcome permits Refused, Rejected, Duplicate, Accepted {}

    /** Not answerable at all: to the dead-letter topic. */
    record Refused(InvalidRequestException why) implements Outcome {}

    /** Answerable, but invalid: an {@code error} answer. */
    record Rejected(PendingQuestion question, InvalidRequestException why) implements Outcome {}

    /** Its id was received before. */
    record Duplicate(String id) implements Outcome {}

    /** Waiting in the pending store under {@code pendingKey}. */
    record Accepted(String pendingKey) implements Outcome {}

    private final VidqaConfig config;
    private final KeyValueStore<String, byte[]> pending;
    private final KeyValueStore<String, Long> answered;
    private final VidqaMetrics metrics;

    QuestionIntake(VidqaConfig config, KeyValueStore<String, byte[]> pending, KeyValueStore<String, Long> answered,
                   VidqaMetrics metrics) {
        this.config = config;
        this.pending = pending;
        this.answered = answered;
        this.metrics = metrics;
    }

    Outcome accept(byte[] recordKey, byte[] value, long recordTimestamp, long now) {
        QuestionRecord q;
        try {
            q = Json.question(value);
        } catch (InvalidQuestionException e) {
            return new Refused(e);
        }
        String key = recordKey == null ? null : new String(recordKey, StandardCharsets.UTF_8);
        if (q.id() == null || q.id().isBlank()) {
            return new Refused(new InvalidQuestionException("question has no id, so no answer could refer to it"));
        }
        String streamId = key != null && !key.isEmpty() ? key : q.streamId();
        if (streamId == null || streamId.isBlank()) {
            return new Refused(new InvalidQuestionException("question " + q.id()
                    + " names no stream (record key and streamId are both missing)"));
        }
        String pk = FrameKeys.pending(streamId, q.id());
        if (answered.get(q.id()) != null || pending.get(pk) != null) {
            metrics.duplicateQuestion();
            LOG.info("question {} was already received; ignoring the duplicate", q.id());
            return new Duplicate(q.id());
        }
        PendingQuestion pq = new PendingQuestion(q, streamId, recordTimestamp, now + config.questions().frameWait().toMillis());
        try {
            if (q.streamId() != null && key != null && !key.isEmpty() && !q.streamId().equals(key)) {
                throw new InvalidQuestionException("streamId '" + q.streamId() + "' differs from the record key '" + key
                        + "' (questions are keyed by stream id)");
            }
            q.validate();
            settings(q);
        } catch (InvalidRequestException e) {
            return new Rejected(pq, e);
        }
        // durable before anything else: a question is never lost between its offset's commit and its answer
        pending.put(pk, Json.write(pq));
        return new Accepted(pk);
    }

    /** The question's answer settings: the application's, with the question's options. */
    AnswerSettings settings(QuestionRecord q) {
        if (q.options() == null) {
            return config.model().answer();
        }
        try {
            return config.model().answer().withOverrides(q.options().asKeys());
        } catch (IllegalArgumentException e) {
            throw new InvalidQuestionException("options: " + e.getMessage(), e);
        }
    }
}
