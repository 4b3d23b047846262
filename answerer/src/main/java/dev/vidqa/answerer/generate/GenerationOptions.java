package dev.vidqa.answerer.generate;

import java.util.List;

/**
 * How to decode an answer. Defaults follow InstructBLIP's video QA evaluation: beam search with
 * 5 beams, at most 10 new tokens (30 for MSVD-QA), at least 1, length penalty -1 (short answers
 * preferred), repetition penalty 1.5.
 *
 * @param lengthPenalty finished beams score {@code sum(logprobs) / new_tokens^lengthPenalty}
 * @param repetitionPenalty logits (greedy) or log-probabilities (beams) of tokens already in the
 *     context are divided (positive) or multiplied (negative) by it; 1 disables it
 * @param earlyStopping stop a beam search once {@code numBeams} hypotheses are finished
 * @param stopStrings generation stops once the decoded answer contains one; it is cut there
 * @param stopTokenIds extra ids that end an answer like the end-of-sequence token
 */
public record GenerationOptions(
        int numBeams,
        int maxNewTokens,
        int minNewTokens,
        double lengthPenalty,
        double repetitionPenalty,
        boolean earlyStopping,
        List<String> stopStrings,
        List<Long> stopTokenIds) {

    public static final int MAX_BEAMS = 64;
    public static final int MAX_NEW_TOKENS = 1024;

    public GenerationOptions {
        if (numBeams < 1 || numBeams > MAX_BEAMS) {
            throw new IllegalArgumentException("numBeams must be 1.." + MAX_BEAMS + ", got " + numBeams);
        }
        if (maxNewTokens < 1 || maxNewTokens > MAX_NEW_TOKENS) {
            throw new IllegalArgumentException("maxNewTokens must be 1.." + MAX_NEW_TOKENS + ", got " + maxNewTokens);
        }
        if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
            throw new IllegalArgumentException("minNewTokens must be 0..maxNewTokens (" + maxNewTokens + "), got "
                    + minNewTokens);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be positive, got " + repetitionPenalty);
        }
        if (Double.isNaN(lengthPenalty) || Double.isInfinite(lengthPenalty)) {
            throw new IllegalArgumentException("lengthPenalty must be finite, got " + lengthPenalty);
        }
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        stopTokenIds = stopTokenIds == null ? List.of() : List.copyOf(stopTokenIds);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /**
     * The paper's video QA settings (MSRVTT-QA: 10 new tokens). Early stopping is off, as in the
     * original evaluation, which calls {@code generate} without it (Hugging Face's default: a beam
     * search ends when no running beam can beat the finished ones).
     */
    public static GenerationOptions videoQa() {
        return new GenerationOptions(5, 10, 1, -1.0, 1.5, false, List.of(), List.of());
    }

    /** Plain greedy decoding without penalties. */
    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(1, maxNewTokens, 0, 1.0, 1.0, true, List.of(), List.of());
    }

    public GenerationOptions withNumBeams(int v) {
        return new GenerationOptions(v, maxNewTokens, minNewTokens, lengthPenalty, repetitionPenalty, earlyStopping,
                stopStrings, stopTokenIds);
    }

    public GenerationOptions withMaxNewTokens(int v) {
        return new GenerationOptions(numBeams, v, Math.min(minNewTokens, v), lengthPenalty, repetitionPenalty,
                earlyStopping, stopStrings, stopTokenIds);
    }

    public GenerationOptions withMinNewTokens(int v) {
        return new GenerationOptions(numBeams, maxNewTokens, v, lengthPenalty, repetitionPenalty, earlyStopping,
                stopStrings, stopTokenIds);
    }

    public GenerationOptions withLengthPenalty(double v) {
        return new GenerationOptions(numBeams, maxNewTokens, minNewTokens, v, repetitionPenalty, earlyStopping,
                stopStrings, stopTokenIds);
    }

    public GenerationOptions withRepetitionPenalty(double v) {
        return new GenerationOptions(numBeams, maxNewTokens, minNewTokens, lengthPenalty, v, earlyStopping,
                stopStrings, stopTokenIds);
    }

    public GenerationOptions withEarlyStopping(boolean v) {
        return new GenerationOptions(numBeams, maxNewTokens, minNewTokens, lengthPenalty, repetitionPenalty, v,
                stopStrings, stopTokenIds);
    }

    public GenerationOptions withStopStrings(List<String> v) {
        return new GenerationOptions(numBeams, maxNewTokens, minNewTokens, lengthPenalty, repetitionPenalty,
                earlyStopping, v, stopTokenIds);
    }

    public GenerationOptions withStopTokenIds(List<Long> v) {
        return new GenerationOptions(numBeams, maxNewTokens, minNewTokens, lengthPenalty, repetitionPenalty,
                earlyStopping, stopStrings, v);
    }
}
