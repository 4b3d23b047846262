/**
 * {@code vidqa bench}: the stream, cache, soak and training benchmarks, each printing its figure beside its baseline.
 */
package dev.vidqa.topology.bench;
