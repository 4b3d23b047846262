package dev.vidqa.frames;

/**
 * Turns an RGB frame into the model's input exactly as the reference processors do: Pillow's
 * antialiased bicubic resize to a square of the checkpoint's {@code vision_config.image_size},
 * scale by 1/255, normalise with the OpenAI CLIP mean and standard deviation, channels first.
 */
public final class ImagePreprocessor {
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final int size;

    public ImagePreprocessor(int size) {
        if (size <= 0 || size > 4096) {
            throw new IllegalArgumentException("image size must be 1..4096, got " + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** (h, w, 3) RGB bytes -> (3, size, size) float32, normalised. */
    public float[] apply(byte[] rgb, int width, int height) {
        return normalize(resize(rgb, width, height));
    }

    /**
     * The resize alone: (h, w, 3) RGB bytes to (size, size, 3). Stores keep frames in this form
     * (a quarter of the floats' size); {@link #normalize} finishes the job exactly as {@link #apply}.
     */
    public byte[] resize(byte[] rgb, int width, int height) {
        return (width == size && height == size) ? rgb : PilResampler.resize(rgb, width, height, size, size);
    }

    /** (size, size, 3) RGB bytes -> (3, size, size) float32: scaled by 1/255, CLIP mean/std. */
    public float[] normalize(byte[] resized) {
        if (resized.length != size * size * 3) {
            throw new IllegalArgumentException("expected " + size + "x" + size + " RGB (" + size * size * 3
                    + " bytes), got " + resized.length + " bytes");
        }
        int plane = size * size;
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float v = (resized[i * 3 + c] & 0xFF) / 255f;
                out[c * plane + i] = (v - CLIP_MEAN[c]) / CLIP_STD[c];
            }
        }
        return out;
    }

    public float[] apply(DecodedFrame frame) {
        return apply(frame.rgb(), frame.width(), frame.height());
    }
}
