package dev.vidqa.frames;

import java.time.Duration;

/**
 * Bounds on what one decode may consume. Exceeding one raises {@link VideoDecodeException} with
 * {@link VideoDecodeException.Reason#LIMIT_EXCEEDED} naming the limit.
 *
 * @param maxBytes bytes of an in-memory chunk
 * @param maxFrames decodable frames in one source (chunk or file)
 * @param maxPixels width x height of a frame
 * @param maxDecodeTime wall-clock time of one decode call
 * @param maxHeldPixels pixels of the sampled RGB frames one call holds at once: frames are scaled
 *     down (box filter, integer factor) as they are decoded so that n of them stay within it. The
 *     model looks at 224 px, so this costs nothing it uses; without it 8K frames or many frames
 *     exhaust the heap (8K is 100 MB a frame).
 */
public record DecodeLimits(long maxBytes, int maxFrames, long maxPixels, Duration maxDecodeTime, long maxHeldPixels) {

    /** 64 MiB chunks, 100,000 frames, 8K frames (7680x4320), 60 s, 32 M pixels held (96 MB of RGB). */
    public static final DecodeLimits DEFAULTS = new DecodeLimits(64L << 20, 100_000, 7680L * 4320, Duration.ofSeconds(60),
            32L << 20);

    /**
     * A stream's chunk (a few seconds of video in one Kafka record): 32 MiB, which is also the largest
     * chunk {@code vidqa ingest} sends, 10,000 frames, 8K frames, 30 s, 32 M pixels held.
     */
    public static final DecodeLimits CHUNKS = new DecodeLimits(32L << 20, 10_000, 7680L * 4320, Duration.ofSeconds(30),
            32L << 20);

    public DecodeLimits(long maxBytes, int maxFrames, long maxPixels, Duration maxDecodeTime) {
        this(maxBytes, maxFrames, maxPixels, maxDecodeTime, DEFAULTS.maxHeldPixels());
    }

    public DecodeLimits {
        if (maxBytes <= 0 || maxFrames <= 0 || maxPixels <= 0 || maxHeldPixels <= 0) {
            throw new IllegalArgumentException("decode limits must be positive");
        }
        if (maxDecodeTime == null || maxDecodeTime.isNegative() || maxDecodeTime.isZero()) {
            throw new IllegalArgumentException("maxDecodeTime must be positive");
        }
    }

    public DecodeLimits withMaxBytes(long v) {
        return new DecodeLimits(v, maxFrames, maxPixels, maxDecodeTime, maxHeldPixels);
    }

    public DecodeLimits withMaxFrames(int v) {
        return new DecodeLimits(maxBytes, v, maxPixels, maxDecodeTime, maxHeldPixels);
    }

    public DecodeLimits withMaxPixels(long v) {
        return new DecodeLimits(maxBytes, maxFrames, v, maxDecodeTime, maxHeldPixels);
    }

    public DecodeLimits withMaxDecodeTime(Duration v) {
        return new DecodeLimits(maxBytes, maxFrames, maxPixels, v, maxHeldPixels);
    }

    public DecodeLimits withMaxHeldPixels(long v) {
        return new DecodeLimits(maxBytes, maxFrames, maxPixels, maxDecodeTime, v);
    }

    /** The pixels each of {@code frames} frames may keep so that together they stay within {@link #maxHeldPixels}. */
    public long pixelsPerFrame(int frames) {
        return Math.max(1, maxHeldPixels / Math.max(1, frames));
    }
}
