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

    /** Where the time went, in milliseconds. */
    public record Timings(double visionMs, double qformerMs, double languageModelMs, double totalMs) {
        public Timings plusVision(double ms) {
            return new Timings(visionMs + ms, qformerMs, languageModelMs, totalMs + ms);
        }
    }
}
