package dev.vidqa.topology.records;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Per-question overrides of the application's defaults; null fields keep the default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuestionOptions(Integer frames, String sampling, Double fps, Integer beams, Integer maxNewTokens,
                              Integer minNewTokens, Double lengthPenalty, Double repetitionPenalty) {
    public static final QuestionOptions NONE = new QuestionOptions(null, null, null, null, null, null, null, null);
}
