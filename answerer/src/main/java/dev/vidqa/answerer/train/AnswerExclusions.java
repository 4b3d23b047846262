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
}
