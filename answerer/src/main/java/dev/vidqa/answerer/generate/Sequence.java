package dev.vidqa.answerer.generate;

/**
 * A generated answer: its new token ids (the end token included when one ended it), its score
 * (beam search: the length-penalised sum of log-probabilities that ranked it; greedy: the sum of
 * log-probabilities), and why it ended.
 */
public record Sequence(long[] tokens, double score, FinishReason finishReason) {}
