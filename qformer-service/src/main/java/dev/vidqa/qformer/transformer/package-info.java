/**
 * The Q-Former's transformer ({@code qformer.*} keys): a BERT whose layers add cross-attention to
 * the frame's vision features; the learned queries and the instruction's tokens share its
 * self-attention, which is what makes the visual features depend on the question. One class per
 * checkpoint block; fields are key suffixes.
 */
package dev.vidqa.qformer.transformer;
