package dev.vidqa.topology.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vidqa.answerer.eval.VqaNormalizer;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A standing question, a {@code vidqa.watches} record value (key: the watch id; a tombstone removes it):
 *
 * <pre>{"id": "door-open", "streamPattern": "bay-*", "question": "is the door open?", "every": 2.0,
 *  "window": {"latestSeconds": 4}, "trigger": {"answers": ["yes"]}, "open": 2, "close": 3}</pre>
 *
 * Each time a matching stream's time passes the next multiple of {@code every} seconds, the question
 * is answered over the window ending there; an incident opens after {@code open} consecutive answers
 * the trigger accepts and closes after {@code close} consecutive ones it does not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WatchRecord(String id, String streamId, String streamPattern, String question, Double every,
                          Window window, List<String> candidates, QuestionOptions options, Trigger trigger,
                          Integer open, Integer close) {

    public static final double DEFAULT_EVERY = 2.0;
    public static final double DEFAULT_WINDOW_SECONDS = 4.0;
    public static final int DEFAULT_OPEN = 2;
    public static final int DEFAULT_CLOSE = 3;
    /** Evaluations cost a model call each: no watch runs more often than this (seconds of stream time). */
    public static final double MIN_EVERY = 0.5;

    /** Which answers fire: one of {@code answers}, or anything but {@code answersNot} (normalised, VQA-style). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trigger(List<String> answers, List<String> answersNot) {
        public boolean fires(String answer) {
            String a = VqaNormalizer.normalize(answer == null ? "" : answer);
            if (answers != null) {
                return answers.stream().anyMatch(x -> VqaNormalizer.normalize(x).equals(a));
            }
            return answersNot.stream().noneMatch(x -> VqaNormalizer.normalize(x).equals(a));
        }
    }

    /** Throws with the reason when the watch cannot run as it is. */
    public void validate() {
        if (id == null || id.isBlank()) {
            throw new InvalidQuestionException("watch has no id");
        }
        if ((streamId == null) == (streamPattern == null)) {
            throw new InvalidQuestionException("watch " + id + " needs exactly one of streamId and streamPattern");
        }
        new QuestionRecord(id, streamId, question, window, candidates, options).validate();
        if (window != null && window.kind() != Window.Kind.LATEST) {
            throw new InvalidQuestionException("watch " + id + ": the window is the latest N seconds ({\"latestSeconds\": n})");
        }
        if (every != null && !(every >= MIN_EVERY)) {
            throw new InvalidQuestionException("watch " + id + ": every must be at least " + MIN_EVERY + " s, got " + every);
        }
        if (trigger == null || (trigger.answers() == null) == (trigger.answersNot() == null)
                || (trigger.answers() != null ? trigger.answers() : trigger.answersNot()).isEmpty()) {
            throw new InvalidQuestionException("watch " + id + ": trigger needs exactly one non-empty list, answers or"
                    + " answersNot");
        }
        if ((open != null && open < 1) || (close != null && close < 1)) {
            throw new InvalidQuestionException("watch " + id + ": open and close count evaluations, at least 1");
        }
    }

    public boolean matches(String stream) {
        if (streamId != null) {
            return streamId.equals(stream);
        }
        return Pattern.matches(("\\Q" + streamPattern + "\\E").replace("*", "\\E.*\\Q"), stream);
    }

    public double everySeconds() {
        return every == null ? DEFAULT_EVERY : every;
    }

    public double windowSeconds() {
        return window == null ? DEFAULT_WINDOW_SECONDS : window.latestSeconds();
    }

    public int openAfter() {
        return open == null ? DEFAULT_OPEN : open;
    }

    public int closeAfter() {
        return close == null ? DEFAULT_CLOSE : close;
    }
}
