package dev.vidqa.topology.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A {@code vidqa.answers} record value (key: the stream id).
 *
 * @param status {@code ok}, {@code no-frames} (nothing to look at within the wait) or {@code error}
 * @param errorKind with {@code error}: whose problem it is ({@code invalid-request}, {@code invalid-media},
 *     {@code model}, {@code infrastructure}, {@code internal}; see {@code FailureKind})
 * @param watchId with a watch's evaluation: the watch (the question id names the stream time)
 * @param windowFrom with a watch's evaluation: the stream time its window starts at
 * @param windowTo with a watch's evaluation: the stream time its window ends at (the evaluation's time)
 * @param latencyMs from the question record's timestamp to the answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnswerRecord(String questionId, String streamId, String question, String answer, Double score,
                           List<Candidate> candidates, List<Double> frameTimestamps, String model, String status,
                           String error, String errorKind, String watchId, Double windowFrom, Double windowTo,
                           long latencyMs, String answeredAt) {

    public static final String OK = "ok";
    public static final String NO_FRAMES = "no-frames";
    public static final String ERROR = "error";

    /** A ranked candidate answer. */
    public record Candidate(String answer, double score) {}
}
