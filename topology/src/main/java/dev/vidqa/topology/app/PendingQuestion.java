package dev.vidqa.topology.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vidqa.topology.records.QuestionRecord;

/**
 * A question waiting for its frames, as kept in the changelogged pending store (so waiting
 * questions survive a failover).
 *
 * @param recordTimestamp the question record's timestamp (latency is measured from it)
 * @param deadline wall-clock epoch ms after which it is answered with what there is, or {@code no-frames}
 * @param watch with a watch's evaluation: which watch, at which stream time (null for an asked question)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingQuestion(QuestionRecord question, String streamId, long recordTimestamp, long deadline,
                              WatchEval watch) {

    /** A standing question's evaluation at stream time {@code time}. */
    public record WatchEval(String watchId, double time) {}

    public PendingQuestion(QuestionRecord question, String streamId, long recordTimestamp, long deadline) {
        this(question, streamId, recordTimestamp, deadline, null);
    }
}
