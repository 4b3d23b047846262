package dev.vidqa.answerer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A frozen language model that reads a soft prompt followed by prompt tokens. Implementations hold
 * only immutable, shared weights; everything a request changes lives in its {@link LmSession}.
 */
public interface LanguageModel {

    /** Width of the token embeddings; the soft prompt's last dimension must match. */
    int hiddenSize();

    int vocabSize();

    boolean isEncoderDecoder();

    /**
     * Starts a request of B rows: row b reads {@code softPrompts[b]} (P,D) then {@code promptIds[b]}.
     * The session's arrays live in a child of {@code manager}; close the session to free them.
     * After this call {@link LmSession#nextLogits()} predicts the first new token.
     *
     * @param softPrompts (B,P,D)
     */
    LmSession start(NDManager manager, NDArray softPrompts, List<long[]> promptIds);
}
