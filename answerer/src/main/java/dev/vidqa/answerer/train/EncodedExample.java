package dev.vidqa.answerer.train;

/**
 * One training example as token ids.
 *
 * @param instruction the Q-Former's ids for the prompt text
 * @param prompt the language model's prompt ids (T5: ending in {@code </s>}; LLaMA: after {@code <s>})
 * @param answer the target ids: T5's labels ending in {@code </s>}; LLaMA's answer ids ending in {@code </s>}
 * @param excluded token ids left out of the softmax at the answer's first token ({@link AnswerExclusions}); empty: none
 */
public record EncodedExample(long[] instruction, long[] prompt, long[] answer, long[] excluded) {
    public EncodedExample {
        if (answer.length == 0) {
            throw new IllegalArgumentException("empty answer: nothing to learn");
        }
        for (long id : excluded) {
            if (id == answer[0]) {
                throw new IllegalArgumentException("the answer's own first token " + id + " cannot be left out");
            }
        }
    }

    public EncodedExample(long[] instruction, long[] prompt, long[] answer) {
        this(instruction, prompt, answer, new long[0]);
    }
}
