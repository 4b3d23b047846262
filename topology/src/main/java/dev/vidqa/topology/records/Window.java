package dev.vidqa.topology.records;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Which part of a stream a question is about: a whole clip ({@code {"clip": "cam1.mp4"}}), the
 * latest N seconds ({@code {"latestSeconds": 10}}), or an absolute span of stream time
 * ({@code {"from": 2.0, "to": 6.5}}). Exactly one form per window.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Window(String clip, Double latestSeconds, Double from, Double to) {

    public enum Kind { CLIP, LATEST, RANGE }

    public static Window clip(String id) {
        return new Window(id, null, null, null);
    }

    public static Window latest(double seconds) {
        return new Window(null, seconds, null, null);
    }

    public static Window range(double from, double to) {
        return new Window(null, null, from, to);
    }

    public Kind kind() {
        return clip != null ? Kind.CLIP : latestSeconds != null ? Kind.LATEST : Kind.RANGE;
    }

    /** Throws with the reason when the window is not exactly one valid form. */
    public void validate() {
        int forms = (clip != null ? 1 : 0) + (latestSeconds != null ? 1 : 0) + (from != null || to != null ? 1 : 0);
        if (forms != 1) {
            throw new InvalidQuestionException("window must be exactly one of {\"clip\": id}, {\"latestSeconds\": n},"
                    + " {\"from\": s, \"to\": s}");
        }
        if (clip != null && clip.isBlank()) {
            throw new InvalidQuestionException("window.clip is empty");
        }
        if (latestSeconds != null && !(latestSeconds > 0)) {
            throw new InvalidQuestionException("window.latestSeconds must be positive, got " + latestSeconds);
        }
        if (forms == 1 && clip == null && latestSeconds == null) {
            if (from == null || to == null || !(to > from) || from < 0) {
                throw new InvalidQuestionException("window needs 0 <= from < to, got from=" + from + " to=" + to);
            }
        }
    }
}
