/**
 * Camera sources shared by ingest workers: {@link dev.vidqa.ingest.sources.SourceWorker} (one worker of
 * a consumer group over the compacted sources topic), {@link dev.vidqa.ingest.sources.SourceRunner}
 * (one camera, reconnected with backoff), the records {@link dev.vidqa.ingest.sources.SourceRecord} and
 * {@link dev.vidqa.ingest.sources.SourceStatus}. Uses the chunker and publisher of this module only.
 */
package dev.vidqa.ingest.sources;
