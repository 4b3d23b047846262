/**
 * Answering a question about frames, the same for every entry point: decode, sample, encode, answer ({@link dev.vidqa.topology.pipeline.VideoQa}, {@link dev.vidqa.topology.pipeline.QaEngine}) with one set of answer settings ({@link dev.vidqa.topology.pipeline.AnswerSettings}).
 */
package dev.vidqa.topology.pipeline;
