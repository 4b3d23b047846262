/**
 * Module {@code ingest} (depends on {@code frames} and the Kafka client). Owns getting video onto
 * the chunks topic: cutting files, directories and live URLs into keyframe-aligned chunks
 * ({@link dev.vidqa.ingest.Chunker}, {@link dev.vidqa.ingest.Ingestor}) and publishing them with
 * their headers ({@link dev.vidqa.ingest.ChunkPublisher}).
 */
package dev.vidqa.ingest;
