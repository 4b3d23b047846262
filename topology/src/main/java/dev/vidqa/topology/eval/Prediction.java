package dev.vidqa.topology.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One line of {@code predictions.jsonl}: what the model said about one question and how it scored.
 *
 * @param status {@code ok}, {@code missing-video}, {@code error} (with {@code error})
 * @param kafkaPrediction with {@code --through-kafka}: the streaming application's answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(String id, String video, String question, String type, List<String> answers,
                         String prediction, String normalized, Double score, String status, String error,
                         List<Double> frameTimestamps, Double latencyMs, String kafkaPrediction, Boolean pathsAgree,
                         java.util.Map<String, String> tags) {

    public Prediction {
        tags = tags == null ? java.util.Map.of() : tags;
    }

    public static final String OK = "ok";
    public static final String MISSING_VIDEO = "missing-video";
    public static final String ERROR = "error";
}
