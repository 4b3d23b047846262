package dev.vidqa.answerer;

import dev.vidqa.answerer.generate.FinishReason;
import java.util.List;

/**
 * An answer to one question about one video.
 *
 * @param text the decoded answer (generation) or the best candidate (ranking)
 * @param score generation: the beam score (length-penalised log-probability) or the greedy sum of
 *     log-probabilities; ranking: the best candidate's summed log-probability
 * @param tokenIds the answer's token ids (end token included when one ended it)
 * @param finishReason why generation stopped; null for ranking
 * @param candidates ranked candidates with scores, best first; empty for generation
 */
public record Answer(String text, double score, long[] tokenIds, FinishReason finishReason, Timings timings,
                     List<RankedCandidate> candidates) {

    /** The same answer with {@code ms} of vision-encoder time added to its timings. */
    public Answer withVisionMs(double ms) {
        return new Answer(text, score, tokenIds, finishReason, timings.plusVision(ms), candidates);
    }

    /** A candidate answer and its summed token log-probability. */
    public record RankedCandidate(String text, double score) {}

    /**
     * Where the time went, in milliseconds, spent on {@code sharedBy} questions together (a batch:
     * every answer of it carries the batch's times).
     */
    public record Timings(double visionMs, double qformerMs, double languageModelMs, double totalMs, int sharedBy) {
        public Timings {
            if (sharedBy < 1) {
                throw new IllegalArgumentException("times are spent on at least one question, got " + sharedBy);
            }
        }

        public Timings plusVision(double ms) {
            return new Timings(visionMs + ms, qformerMs, languageModelMs, totalMs + ms, sharedBy);
        }

        /** One question's share. */
        public Timings perQuestion() {
            return new Timings(visionMs / sharedBy, qformerMs / sharedBy, languageModelMs / sharedBy, totalMs / sharedBy, 1);
        }
    }
}
