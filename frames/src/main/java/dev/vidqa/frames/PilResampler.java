package dev.vidqa.frames;

/**
 * Pillow's {@code Image.resize(size, BICUBIC)} for 8-bit RGB, reproduced step by step: separable
 * convolution with the Keys cubic (a = -0.5) whose support widens with the downscale factor
 * (antialiasing), coefficients normalised and quantised to 22-bit fixed point, horizontal pass
 * first with the intermediate rounded to 8 bits, then the vertical pass. The reference image
 * processors resize with Pillow; a plain cubic or nearest resize differs by several levels.
 */
final class PilResampler {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PilResampler() {}

    static double bicubic(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Fixed-point filter taps for resizing {@code inSize} samples to {@code outSize}. */
    record Coefficients(int ksize, int[] bounds, int[] kk) {}

    static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = SUPPORT * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] kk = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterscale;
            // Pillow truncates toward zero with (int) casts
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            for (int x = 0; x < xmax; x++) {
                double w = bicubic((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < ksize; x++) {
                double v = x < xmax ? (ww != 0.0 ? k[x] / ww : k[x]) : 0.0;
                // normalize_coeffs_8bpc: round half away from zero into fixed point
                kk[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                        : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return new Coefficients(ksize, bounds, kk);
    }

    private static int clip8(long v) {
        long s = v >> PRECISION_BITS;
        return s < 0 ? 0 : s > 255 ? 255 : (int) s;
    }

    /** Resizes interleaved RGB bytes {@code (h, w, 3)} to {@code (outH, outW, 3)}. */
    static byte[] resize(byte[] rgb, int w, int h, int outW, int outH) {
        if (rgb.length != w * h * 3) {
            throw new IllegalArgumentException("expected " + w * h * 3 + " RGB bytes for " + w + "x" + h + ", got "
                    + rgb.length);
        }
        Coefficients vert = coefficients(h, outH);
        int yFirst = vert.bounds()[0];
        int yLast = vert.bounds()[outH * 2 - 2] + vert.bounds()[outH * 2 - 1];
        byte[] src = rgb;
        int srcRows = h;
        int rowOffset = 0;
        if (outW != w) {
            // horizontal pass over only the rows the vertical pass will read
            Coefficients hor = coefficients(w, outW);
            int rows = yLast - yFirst;
            byte[] tmp = new byte[rows * outW * 3];
            for (int y = 0; y < rows; y++) {
                int inRow = (y + yFirst) * w * 3;
                for (int xx = 0; xx < outW; xx++) {
                    int xmin = hor.bounds()[xx * 2];
                    int xmax = hor.bounds()[xx * 2 + 1];
                    int kOff = xx * hor.ksize();
                    long s0 = 1L << (PRECISION_BITS - 1);
                    long s1 = s0;
                    long s2 = s0;
                    for (int x = 0; x < xmax; x++) {
                        int p = inRow + (x + xmin) * 3;
                        int c = hor.kk()[kOff + x];
                        s0 += (long) (src[p] & 0xFF) * c;
                        s1 += (long) (src[p + 1] & 0xFF) * c;
                        s2 += (long) (src[p + 2] & 0xFF) * c;
                    }
                    int o = (y * outW + xx) * 3;
                    tmp[o] = (byte) clip8(s0);
                    tmp[o + 1] = (byte) clip8(s1);
                    tmp[o + 2] = (byte) clip8(s2);
                }
            }
            src = tmp;
            srcRows = rows;
            rowOffset = yFirst;
        }
        if (outH == srcRows && rowOffset == 0 && outH == h) {
            return src;
        }
        byte[] out = new byte[outH * outW * 3];
        for (int yy = 0; yy < outH; yy++) {
            int ymin = vert.bounds()[yy * 2] - rowOffset;
            int ymax = vert.bounds()[yy * 2 + 1];
            int kOff = yy * vert.ksize();
            for (int xx = 0; xx < outW; xx++) {
                long s0 = 1L << (PRECISION_BITS - 1);
                long s1 = s0;
                long s2 = s0;
                for (int y = 0; y < ymax; y++) {
                    int p = ((y + ymin) * outW + xx) * 3;
                    int c = vert.kk()[kOff + y];
                    s0 += (long) (src[p] & 0xFF) * c;
                    s1 += (long) (src[p + 1] & 0xFF) * c;
                    s2 += (long) (src[p + 2] & 0xFF) * c;
                }
                int o = (yy * outW + xx) * 3;
                out[o] = (byte) clip8(s0);
                out[o + 1] = (byte) clip8(s1);
                out[o + 2] = (byte) clip8(s2);
            }
        }
        return out;
    }
}
