package dev.vidqa.answerer;

import dev.vidqa.answerer.generate.GenerationOptions;

/**
 * Per-request settings: decoding, the prompt template ({@code {}} stands for the question) and how
 * many candidate answers are scored at once when ranking.
 */
public record AnswerOptions(GenerationOptions generation, String promptTemplate, int rankChunk) {
    public static final String DEFAULT_TEMPLATE = "Question: {} Short answer:";

    public AnswerOptions {
        if (generation == null) {
            throw new IllegalArgumentException("generation options are required");
        }
        if (promptTemplate == null || !promptTemplate.contains("{}")) {
            throw new IllegalArgumentException("the prompt template must contain {} for the question, got '"
                    + promptTemplate + "'");
        }
        if (rankChunk < 1) {
            throw new IllegalArgumentException("rankChunk must be positive");
        }
    }

    /** The paper's video QA settings with its prompt. */
    public static AnswerOptions defaults() {
        return new AnswerOptions(GenerationOptions.videoQa(), DEFAULT_TEMPLATE, 32);
    }

    public AnswerOptions withGeneration(GenerationOptions g) {
        return new AnswerOptions(g, promptTemplate, rankChunk);
    }

    public AnswerOptions withPromptTemplate(String t) {
        return new AnswerOptions(generation, t, rankChunk);
    }

    public String prompt(String question) {
        return promptTemplate.replace("{}", question.trim());
    }
}
