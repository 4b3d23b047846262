/**
 * {@code vidqa train}: training sets and their mixing, instruction templates, the per-step batches
 * (decoding, the on-disk feature store, a prefetch thread), held-out evaluation, the log and the
 * report. The arithmetic of a step lives in {@code dev.vidqa.answerer.train}.
 */
package dev.vidqa.topology.train;
