package dev.vidqa.frames;

/**
 * Shrinks an RGB frame by the smallest integer factor k that brings it within a pixel budget,
 * averaging each k x k block (a box filter: no aliasing, exact for flat areas).
 */
final class Downscale {
    private Downscale() {}

    /** {@code f} itself when it has at most {@code maxPixels} pixels, else a box-filtered copy. */
    static DecodedFrame fit(DecodedFrame f, long maxPixels) {
        long pixels = (long) f.width() * f.height();
        if (pixels <= maxPixels) {
            return f;
        }
        int k = 2;
        while ((long) (f.width() / k) * (f.height() / k) > maxPixels && (f.width() / k > 1 || f.height() / k > 1)) {
            k++;
        }
        int w = Math.max(1, f.width() / k);
        int h = Math.max(1, f.height() / k);
        int kw = Math.min(k, f.width());
        int kh = Math.min(k, f.height());
        byte[] src = f.rgb();
        byte[] out = new byte[w * h * 3];
        int area = kw * kh;
        int[] sum = new int[w * 3];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(sum, 0);
            for (int dy = 0; dy < kh; dy++) {
                int row = (y * kh + dy) * f.width() * 3;
                for (int x = 0; x < w; x++) {
                    int base = row + x * kw * 3;
                    for (int dx = 0; dx < kw; dx++) {
                        int p = base + dx * 3;
                        sum[x * 3] += src[p] & 0xFF;
                        sum[x * 3 + 1] += src[p + 1] & 0xFF;
                        sum[x * 3 + 2] += src[p + 2] & 0xFF;
                    }
                }
            }
            int o = y * w * 3;
            for (int i = 0; i < w * 3; i++) {
                out[o + i] = (byte) ((sum[i] + area / 2) / area);
            }
        }
        return new DecodedFrame(f.index(), f.timestamp(), w, h, out);
    }
}
