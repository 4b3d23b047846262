package dev.vidqa.answerer.train;

/**
 * One training example as token ids.
 *
 * @param instruction the Q-Former's ids for the prompt text
 * @param prompt the language model's prompt ids (T5: ending in {@code </s>}; LLaMA: after {@code <s>})
 * @param answer the target ids: T5's labels ending in {@code </s>}; LLaMA's answer ids ending in {@code </s>}
 */
public record EncodedExample(long[] instruction, long[] prompt, long[] answer) {
    public EncodedExample {
        if (answer.length == 0) {
            throw new IllegalArgumentException("empty answer: nothing to learn");
        }
    }
}
