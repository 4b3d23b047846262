/**
 * Module {@code topology} (depends on every other module; nothing depends on it but {@code it-tests}).
 * Wires vidqa together: the Kafka Streams application ({@code app}, with its records
 * {@code records} and frame store {@code store}), the answering pipeline shared by every entry point
 * ({@code pipeline}: {@link dev.vidqa.topology.pipeline.VideoQa},
 * {@link dev.vidqa.topology.pipeline.AnswerSettings}), Kafka clients ({@code client}) and the
 * embedded broker ({@code kafka}), evaluation ({@code eval}), training runs and the world recipe
 * ({@code train}), benchmarks ({@code bench}), the kinds of failure that exit codes and error answers
 * share ({@code failure}) and the {@code vidqa} command line ({@code cli}).
 */
package dev.vidqa.topology;
