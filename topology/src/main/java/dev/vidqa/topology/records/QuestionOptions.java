package dev.vidqa.topology.records;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Per-question overrides of the application's defaults; null fields keep the default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuestionOptions(Integer frames, String sampling, Double fps, Integer beams, Integer maxNewTokens,
                              Integer minNewTokens, Double lengthPenalty, Double repetitionPenalty) {
    public static final QuestionOptions NONE = new QuestionOptions(null, null, null, null, null, null, null, null);

    /** The options given, by the keys of the answer settings ({@code AnswerSettings.KEYS}) they override. */
    public java.util.Map<String, String> asKeys() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        put(m, "frames", frames);
        put(m, "max-frames", frames); // a question's frame count also caps fps sampling
        put(m, "sampling", sampling);
        put(m, "fps", fps);
        put(m, "beams", beams);
        put(m, "max-new-tokens", maxNewTokens);
        put(m, "min-new-tokens", minNewTokens);
        put(m, "length-penalty", lengthPenalty);
        put(m, "repetition-penalty", repetitionPenalty);
        return m;
    }

    private static void put(java.util.Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }
}
