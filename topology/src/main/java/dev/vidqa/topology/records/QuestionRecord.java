package dev.vidqa.topology.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A {@code vidqa.questions} record value (key: the stream id).
 *
 * <pre>{"id": "q-17", "streamId": "cam-1", "question": "how many cars are there?",
 *  "window": {"latestSeconds": 10}, "candidates": ["one", "two"], "options": {"frames": 4}}</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuestionRecord(String id, String streamId, String question, Window window, List<String> candidates,
                             QuestionOptions options) {

    public static final int MAX_QUESTION_CHARS = 2000;
    public static final int MAX_CANDIDATES = 256;
    /** Scoring a candidate costs memory quadratic in its length: answers are short. */
    public static final int MAX_CANDIDATE_CHARS = 200;

    /** Throws with the reason when the question cannot be answered as it is. */
    public void validate() {
        if (question == null || question.isBlank()) {
            throw new InvalidQuestionException("the question is empty");
        }
        if (question.length() > MAX_QUESTION_CHARS) {
            throw new InvalidQuestionException("the question has " + question.length() + " characters; the limit is "
                    + MAX_QUESTION_CHARS);
        }
        if (window != null) {
            window.validate();
        }
        if (candidates != null) {
            if (candidates.size() > MAX_CANDIDATES) {
                throw new InvalidQuestionException(candidates.size() + " candidates; the limit is " + MAX_CANDIDATES);
            }
            for (String c : candidates) {
                if (c == null || c.isBlank()) {
                    throw new InvalidQuestionException("a candidate answer is empty");
                }
                if (c.length() > MAX_CANDIDATE_CHARS) {
                    throw new InvalidQuestionException("a candidate answer has " + c.length() + " characters; the limit is "
                            + MAX_CANDIDATE_CHARS);
                }
            }
        }
    }
}
