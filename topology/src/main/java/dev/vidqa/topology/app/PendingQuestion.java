package dev.vidqa.topology.app;

import dev.vidqa.topology.records.QuestionRecord;

/**
 * A question waiting for its frames, as kept in the changelogged pending store (so waiting
 * questions survive a failover).
 *
 * @param recordTimestamp the question record's timestamp (latency is measured from it)
 * @param deadline wall-clock epoch ms after which it is answered with what there is, or {@code no-frames}
 */
public record PendingQuestion(QuestionRecord question, String streamId, long recordTimestamp, long deadline) {}
