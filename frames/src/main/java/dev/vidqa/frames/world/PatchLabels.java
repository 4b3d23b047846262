package dev.vidqa.frames.world;

import java.util.List;

/**
 * What each patch of a frame shows, for dense pretraining of the vision encoder: the frame (W x H)
 * is stretched to the model's square input and cut into a G x G grid; a patch is labelled with
 * the object covering most of it when that object covers at least {@value #MIN_COVER} of it,
 * else as backdrop (class 0). A third map marks the patches where an object's centre lies (hidden
 * or not): their number is the count of objects on screen, so a count can be read off the patches
 * by summing one feature instead of telling touching objects apart.
 */
public final class PatchLabels {
    static final double MIN_COVER = 0.10;

    private PatchLabels() {}

    /**
     * Class of each patch, row-major: {@code [0]} colour (0 = none, 1 + Colour.ordinal), {@code [1]}
     * shape (1 + Shape.ordinal), {@code [2]} 1 where the centre of an object on screen at {@code t} lies, else 0.
     */
    public static int[][] at(SceneRenderer renderer, double t, int grid) {
        Scene s = renderer.scene();
        int[] labels = renderer.labels(t);
        int w = s.width();
        int h = s.height();
        List<WorldObject> objects = s.objects();
        int[] colour = new int[grid * grid];
        int[] shape = new int[grid * grid];
        int[] count = new int[objects.size() + 1];
        for (int i = 0; i < grid; i++) {
            int y0 = i * h / grid;
            int y1 = (i + 1) * h / grid;
            for (int j = 0; j < grid; j++) {
                int x0 = j * w / grid;
                int x1 = (j + 1) * w / grid;
                java.util.Arrays.fill(count, 0);
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        count[labels[y * w + x]]++;
                    }
                }
                int best = 0;
                for (int k = 1; k < count.length; k++) {
                    if (count[k] > (best == 0 ? 0 : count[best])) {
                        best = k;
                    }
                }
                if (best > 0 && count[best] >= MIN_COVER * (y1 - y0) * (x1 - x0)) {
                    colour[i * grid + j] = 1 + objects.get(best - 1).color().ordinal();
                    shape[i * grid + j] = 1 + objects.get(best - 1).shape().ordinal();
                }
            }
        }
        int[] centre = new int[grid * grid];
        for (WorldObject o : s.visibleAt(t)) {
            double[] c = o.centreAt(t);
            if (c[0] >= 0 && c[0] < 1 && c[1] >= 0 && c[1] < 1) {
                centre[(int) (c[1] * grid) * grid + (int) (c[0] * grid)] = 1;
            }
        }
        return new int[][] {colour, shape, centre};
    }
}
