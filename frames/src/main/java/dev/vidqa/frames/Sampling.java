package dev.vidqa.frames;

import java.util.Locale;

/** How frames are chosen from a video. */
public enum Sampling {
    /** Hugging Face's recipe: frame {@code floor(i * N / n)} for i = 0..n-1. */
    UNIFORM,
    /**
     * The original evaluation's recipe, made deterministic: the first frame, evenly spaced middle
     * frames and the last frame ({@code round(i * (N-1) / (n-1))}); with fewer than n frames, all
     * of them and then the last one repeated.
     */
    HEADTAIL,
    /** One frame every {@code 1/f} seconds of stream time (for live streams and long windows). */
    FPS;

    public static Sampling parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown sampling '" + s + "' (expected uniform, headtail or fps)");
        }
    }
}
