/**
 * The Kafka Streams application. {@link dev.vidqa.topology.app.VidqaTopology} wires the flow;
 * {@link dev.vidqa.topology.app.VideoQaProcessor} runs it through its parts, each readable alone:
 * the chunk path ({@link dev.vidqa.topology.app.ChunkPath}: decode, store, stream info), the
 * question path ({@link dev.vidqa.topology.app.QuestionIntake}: validate, pending), the pure
 * {@link dev.vidqa.topology.app.WindowResolver}, the {@link dev.vidqa.topology.app.QuestionBatcher},
 * the {@link dev.vidqa.topology.app.AnswerWriter} and the {@link dev.vidqa.topology.app.DeadLetterWriter}.
 * Configuration: {@link dev.vidqa.topology.app.VidqaConfig} grouped by concern, its keys and defaults
 * in one table ({@link dev.vidqa.topology.app.ConfigKeys}, written out by
 * {@link dev.vidqa.topology.app.ConfigReference}). Also topics, metrics, health and the HTTP server.
 * May use every other module and the {@code pipeline}, {@code records}, {@code store} and
 * {@code failure} packages; the command line uses it, not the reverse.
 */
package dev.vidqa.topology.app;
