package dev.vidqa.answerer.train;

import java.util.List;

/**
 * Answers that training must not count against an example: words the data never showed with what
 * the question names, so a wrong answer here is not evidence about them. Cross-entropy over the
 * whole vocabulary teaches "never X with Y" from every example about Y (each one pushes X down);
 * leaving X out of that example's softmax keeps the absence of evidence from becoming evidence of
 * absence. {@link #NONE} (the default) is the plain loss.
 */
@FunctionalInterface
public interface AnswerExclusions {
    /** No exclusions: Hugging Face's cross-entropy. */
    AnswerExclusions NONE = (question, answer) -> List.of();

    /** The words left out of the softmax of the answer's first token for this question and answer. */
    List<String> excluded(String question, String answer);

    /**
     * 0 (the default): left-out words are out of the softmax, nothing more. Above 0: they are
     * still pushed below the answer's logit, by this margin and no further (a hinge), so that
     * "never X with Y" is not learned but "not X when the frames show Z" still is.
     */
    default double margin() {
        return 0;
    }
}
