package dev.vidqa.ingest.sources;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A {@code vidqa.source-status} record value (key: the stream id): what the worker ingesting a source
 * knows of it. {@code state}: {@code connected} (chunks flow), {@code reconnecting} (it dropped or
 * could not be opened; {@code reason} says why, {@code retryInSeconds} when it is tried again),
 * {@code failed} (it could not be opened {@link #FAILED_AFTER} times in a row: the camera is down or
 * misconfigured, not a passing drop; still tried again, at the longest backoff, with the reason),
 * {@code stopped} (removed, disabled, or moved to another worker).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceStatus(String streamId, String state, String reason, Double retryInSeconds, Long lastChunkAt,
                           String worker, String at) {
    public static final String CONNECTED = "connected";
    public static final String RECONNECTING = "reconnecting";
    public static final String FAILED = "failed";
    /** Attempts in a row without a chunk before a source is reported {@code failed}. */
    public static final int FAILED_AFTER = 3;
    public static final String STOPPED = "stopped";
}
