package dev.vidqa.topology.pipeline;

import dev.vidqa.answerer.Answer;
import dev.vidqa.answerer.AnswerOptions;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the streaming application needs from a model: the input size frames are stored at, and an
 * answer (or ranking) over stored frames. The production engine is {@link ModelQaEngine}; tests
 * of the topology's logic use a fast fake.
 */
public interface QaEngine extends AutoCloseable {

    /** A frame as stored: a stable key, its stream time, and its RGB bytes at {@link #imageSize()}. */
    record FrameRef(String key, double time, Supplier<byte[]> rgb) {}

    /** A short model name for answer records. */
    String name();

    /** Side of the square RGB frames the model takes. */
    int imageSize();

    /**
     * Answers {@code question} over {@code frames} (time order), or ranks {@code candidates} when
     * there are any. Bad questions (e.g. over the token limit) throw {@link IllegalArgumentException}.
     */
    Answer answer(List<FrameRef> frames, String question, List<String> candidates, AnswerOptions options);

    /** One question of a batch. */
    record Request(List<FrameRef> frames, String question, List<String> candidates, AnswerOptions options) {}

    /** The answer to one request of a batch, or what it raised. */
    record Outcome(Answer answer, RuntimeException error) {}

    /**
     * Answers several questions, one outcome per request in order; a failing request does not
     * fail the others. Engines that can batch the language model override this.
     */
    default List<Outcome> answerAll(List<Request> requests) {
        List<Outcome> out = new java.util.ArrayList<>(requests.size());
        for (Request r : requests) {
            try {
                out.add(new Outcome(answer(r.frames(), r.question(), r.candidates(), r.options()), null));
            } catch (RuntimeException e) {
                out.add(new Outcome(null, e));
            }
        }
        return out;
    }

    @Override
    default void close() {}
}
