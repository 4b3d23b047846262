/**
 * Decoding: greedy and beam search (as Hugging Face's {@code generate}), stop rules, candidate ranking.
 */
package dev.vidqa.answerer.generate;
