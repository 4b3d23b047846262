/**
 * Serving the vision encoder: dynamic batching, the in-memory feature cache and the on-disk feature store.
 */
package dev.vidqa.qformer.serve;
