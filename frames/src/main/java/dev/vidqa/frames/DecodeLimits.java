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
 */
public record DecodeLimits(long maxBytes, int maxFrames, long maxPixels, Duration maxDecodeTime) {

    /** 64 MiB chunks, 100,000 frames, 8K frames (7680x4320), 60 s. */
    public static final DecodeLimits DEFAULTS = new DecodeLimits(64L << 20, 100_000, 7680L * 4320, Duration.ofSeconds(60));

    public DecodeLimits {
        if (maxBytes <= 0 || maxFrames <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("decode limits must be positive");
        }
        if (maxDecodeTime == null || maxDecodeTime.isNegative() || maxDecodeTime.isZero()) {
            throw new IllegalArgumentException("maxDecodeTime must be positive");
        }
    }

    public DecodeLimits withMaxBytes(long v) {
        return new DecodeLimits(v, maxFrames, maxPixels, maxDecodeTime);
    }

    public DecodeLimits withMaxFrames(int v) {
        return new DecodeLimits(maxBytes, v, maxPixels, maxDecodeTime);
    }

    public DecodeLimits withMaxPixels(long v) {
        return new DecodeLimits(maxBytes, maxFrames, v, maxDecodeTime);
    }

    public DecodeLimits withMaxDecodeTime(Duration v) {
        return new DecodeLimits(maxBytes, maxFrames, maxPixels, v);
    }
}
