package dev.vidqa.ingest.sources;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A camera, a {@code vidqa.sources} record value (compacted; key: the stream id; a tombstone removes it):
 * {@code {"streamId": "bay-2", "url": "rtsp://...", "chunkSeconds": 2, "enabled": true}}. The ingest
 * workers of one consumer group share the sources between them by partition.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceRecord(String streamId, String url, Double chunkSeconds, Boolean enabled) {
    public static final double DEFAULT_CHUNK_SECONDS = 2.0;

    /** Throws IllegalArgumentException with the reason when the source cannot be ingested as it is. */
    public void validate() {
        if (streamId == null || streamId.isBlank()) {
            throw new IllegalArgumentException("source has no streamId");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("source " + streamId + " has no url");
        }
        if (chunkSeconds != null && !(chunkSeconds >= 0.5 && chunkSeconds <= 60)) {
            throw new IllegalArgumentException("source " + streamId + ": chunkSeconds must be 0.5..60, got " + chunkSeconds);
        }
    }

    public double chunkLength() {
        return chunkSeconds == null ? DEFAULT_CHUNK_SECONDS : chunkSeconds;
    }

    public boolean isEnabled() {
        return enabled == null || enabled;
    }
}
