/**
 * What went wrong, by whose fault: {@link dev.vidqa.topology.failure.FailureKind} (invalid request,
 * invalid media, model, infrastructure, internal) and the typed exceptions that carry it. The
 * command line's exit codes and the stream's {@code error} answers and dead letters are both
 * derived from it ({@link dev.vidqa.topology.failure.Failures#kind}), so a failure reads the same
 * wherever it surfaces.
 */
package dev.vidqa.topology.failure;
