package dev.vidqa.frames;

/**
 * Which frames to take.
 *
 * @param frames how many (uniform, headtail), or the most to keep (fps; 0 = no cap)
 * @param fps frames per second of stream time (fps sampling only)
 */
public record SamplingSpec(Sampling sampling, int frames, double fps) {
    public static final int MAX_FRAMES = 256;

    public SamplingSpec {
        if (sampling == null) {
            throw new IllegalArgumentException("sampling is required");
        }
        if (sampling == Sampling.FPS) {
            if (!(fps > 0) || fps > 1000) {
                throw new IllegalArgumentException("fps sampling needs 0 < fps <= 1000, got " + fps);
            }
            if (frames < 0 || frames > MAX_FRAMES) {
                throw new IllegalArgumentException("frames must be 0.." + MAX_FRAMES + ", got " + frames);
            }
        } else if (frames < 1 || frames > MAX_FRAMES) {
            throw new IllegalArgumentException("frames must be 1.." + MAX_FRAMES + ", got " + frames);
        }
    }

    public static SamplingSpec uniform(int n) {
        return new SamplingSpec(Sampling.UNIFORM, n, 0);
    }

    public static SamplingSpec headtail(int n) {
        return new SamplingSpec(Sampling.HEADTAIL, n, 0);
    }

    public static SamplingSpec fps(double fps, int maxFrames) {
        return new SamplingSpec(Sampling.FPS, maxFrames, fps);
    }
}
