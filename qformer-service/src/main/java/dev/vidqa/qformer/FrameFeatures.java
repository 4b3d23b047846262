package dev.vidqa.qformer;

import java.util.Objects;

/**
 * The vision encoder's output for one frame, {@code (tokens, dim)} row-major float32, detached from
 * any device so that caches and stores can keep it. It depends on the frame only.
 */
public record FrameFeatures(float[] data, int tokens, int dim) {
    public FrameFeatures {
        Objects.requireNonNull(data, "data");
        if (tokens <= 0 || dim <= 0 || data.length != tokens * dim) {
            throw new IllegalArgumentException("feature data of " + data.length + " floats for (" + tokens + ", "
                    + dim + ")");
        }
    }

    public long bytes() {
        return 4L * data.length;
    }
}
