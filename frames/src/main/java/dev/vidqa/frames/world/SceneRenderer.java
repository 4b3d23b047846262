package dev.vidqa.frames.world;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Paints a scene at a time: the backdrop with this frame's noise, then every visible object in
 * drawing order. {@link #labels} paints the same geometry as object numbers (1-based; 0 = backdrop),
 * the dense ground truth the vision encoder is pretrained on.
 */
public final class SceneRenderer {
    private final Scene scene;
    private final int w;
    private final int h;
    private final short[] texture; // (h, w) base + texture, per channel offset added at paint time

    public SceneRenderer(Scene scene) {
        this.scene = scene;
        this.w = scene.width();
        this.h = scene.height();
        this.texture = texture(scene.background(), w, h);
    }

    public Scene scene() {
        return scene;
    }

    /** Interleaved RGB (h, w, 3) of frame {@code index} (time index / fps). */
    public byte[] rgb(int index) {
        double t = (double) index / scene.fps();
        Background bg = scene.background();
        SplittableRandom noise = new SplittableRandom(bg.seed() * 1_000_003L + index);
        byte[] out = new byte[w * h * 3];
        for (int p = 0; p < w * h; p++) {
            int n = bg.noise() == 0 ? 0 : noise.nextInt(2 * bg.noise() + 1) - bg.noise();
            int v = texture[p] + n;
            out[3 * p] = clamp(bg.r() + v);
            out[3 * p + 1] = clamp(bg.g() + v);
            out[3 * p + 2] = clamp(bg.b() + v);
        }
        int[] label = labels(t);
        List<WorldObject> objects = scene.objects();
        for (int p = 0; p < w * h; p++) {
            if (label[p] > 0) {
                Attributes.Colour c = objects.get(label[p] - 1).color();
                // a little of the noise stays on the object: the codec sees texture, not flat fills
                int n = bg.noise() == 0 ? 0 : noise.nextInt(2 * (bg.noise() / 2) + 1) - bg.noise() / 2;
                out[3 * p] = clamp(c.r + n);
                out[3 * p + 1] = clamp(c.g + n);
                out[3 * p + 2] = clamp(c.b + n);
            }
        }
        return out;
    }

    /** Object number (1-based, the front-most one) covering each pixel at time t; 0 = backdrop. */
    public int[] labels(double t) {
        int[] out = new int[w * h];
        List<WorldObject> objects = scene.objects();
        for (int k = 0; k < objects.size(); k++) {
            WorldObject o = objects.get(k);
            if (!o.visibleAt(t)) {
                continue;
            }
            double[] c = o.centreAt(t);
            double cx = c[0] * w;
            double cy = c[1] * h;
            double r = o.size().radius * h;
            int x0 = Math.max(0, (int) Math.floor(cx - r));
            int x1 = Math.min(w - 1, (int) Math.ceil(cx + r));
            int y0 = Math.max(0, (int) Math.floor(cy - r));
            int y1 = Math.min(h - 1, (int) Math.ceil(cy + r));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    if (inside(o.shape(), x + 0.5 - cx, y + 0.5 - cy, r)) {
                        out[y * w + x] = k + 1;
                    }
                }
            }
        }
        return out;
    }

    /** Whether offset (dx, dy) from the centre lies inside the outline of radius r. */
    static boolean inside(Attributes.Shape shape, double dx, double dy, double r) {
        return switch (shape) {
            case CIRCLE -> dx * dx + dy * dy <= r * r;
            case SQUARE -> Math.abs(dx) <= 0.85 * r && Math.abs(dy) <= 0.85 * r;
            // apex up at (0, -r), base at y = +0.8 r from -r to +r
            case TRIANGLE -> dy >= -r && dy <= 0.8 * r && Math.abs(dx) <= (dy + r) / 1.8;
        };
    }

    private static short[] texture(Background bg, int w, int h) {
        short[] t = new short[w * h];
        SplittableRandom rnd = new SplittableRandom(bg.seed());
        int a = bg.contrast();
        int period = 8 + rnd.nextInt(17);
        double[][] blobs = new double[6][];
        for (int i = 0; i < blobs.length; i++) {
            blobs[i] = new double[] {rnd.nextDouble() * w, rnd.nextDouble() * h, (0.1 + 0.25 * rnd.nextDouble()) * h,
                    rnd.nextBoolean() ? 1 : -1};
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = switch (bg.texture()) {
                    case PLAIN -> 0;
                    case STRIPES -> ((x + y) / period) % 2 == 0 ? a : -a;
                    case CHECKER -> ((x / period) + (y / period)) % 2 == 0 ? a : -a;
                    case BLOTCHES -> {
                        double s = 0;
                        for (double[] b : blobs) {
                            double d2 = ((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (b[2] * b[2]);
                            s += b[3] * a * Math.exp(-d2);
                        }
                        yield s;
                    }
                };
                t[y * w + x] = (short) Math.round(v);
            }
        }
        return t;
    }

    private static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(255, v));
    }
}
