package dev.vidqa.frames.world;

import dev.vidqa.frames.world.Attributes.Colour;
import dev.vidqa.frames.world.Attributes.Motion;
import dev.vidqa.frames.world.Attributes.Shape;
import dev.vidqa.frames.world.Attributes.Size;
import dev.vidqa.frames.world.WorldSplit.Combo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws random scenes: 1–5 objects with distinct colour-shape pairs (so "the red circle" names one
 * object), small or large, still or moving at a visible speed, present throughout or only early
 * (leaving at 30–45 % of the clip) or only late (entering at 55–70 %), overlapping freely and
 * partly outside the frame at times; backdrops plain, striped, chequered or blotched, with noise.
 *
 * <p>Scene {@code i} of a split depends only on (seed, split, i), so clips can be regenerated one by one.
 */
public final class SceneSampler {
    /** Early objects leave, late ones enter, inside these fractions of the clip. */
    static final double EARLY_LEAVE_MIN = 0.30;
    static final double EARLY_LEAVE_MAX = 0.45;
    static final double LATE_ENTER_MIN = 0.55;
    static final double LATE_ENTER_MAX = 0.70;
    /** Speeds (frame extents per second): objects on screen for the whole clip move slower. */
    static final double MIN_SPEED = 0.05;
    static final double MAX_SPEED = 0.11;
    static final double MIN_SPEED_BRIEF = 0.10;
    static final double MAX_SPEED_BRIEF = 0.17;

    private final long seed;
    private final WorldSplit split;
    private final double duration;
    private final int fps;
    private final int width;
    private final int height;

    public SceneSampler(long seed, WorldSplit split, double duration, int fps, int width, int height) {
        if (!(duration >= 2) || fps < 2 || width < 32 || height < 32) {
            throw new IllegalArgumentException("scenes need >= 2 s, >= 2 fps and >= 32x32 pixels");
        }
        this.seed = seed;
        this.split = split;
        this.duration = duration;
        this.fps = fps;
        this.width = width;
        this.height = height;
    }

    public Scene scene(int i, String video) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + split.ordinal() * 1_000_000_007L + i);
        List<Combo> combos = new ArrayList<>();
        for (Colour c : Colour.values()) {
            for (Shape s : Shape.values()) {
                Combo k = new Combo(c, s);
                if (!k.heldOut()) {
                    combos.add(k);
                }
            }
        }
        shuffle(combos, rnd);
        int n = 1 + rnd.nextInt(5);
        List<Combo> chosen = new ArrayList<>(combos.subList(0, n));
        if (split == WorldSplit.HELDOUT && rnd.nextDouble() < 0.6) {
            chosen.set(0, WorldSplit.HELD_OUT_COMBOS.get(rnd.nextInt(WorldSplit.HELD_OUT_COMBOS.size())));
            shuffle(chosen, rnd);
        }
        List<WorldObject> objects = new ArrayList<>();
        for (Combo k : chosen) {
            // start apart (a few tries): paths may still cross, but no object starts hidden
            WorldObject o = object(k, rnd);
            for (int attempt = 0; attempt < 12 && overlapsAtEntry(o, objects); attempt++) {
                o = object(k, rnd);
            }
            objects.add(o);
        }
        return new Scene(video, duration, fps, width, height, background(rnd), objects);
    }

    private WorldObject object(Combo k, SplittableRandom rnd) {
        Size size = rnd.nextBoolean() ? Size.SMALL : Size.LARGE;
        double life = rnd.nextDouble();
        double enter = 0;
        double leave = duration;
        if (life < 0.2) {
            leave = round(duration * uniform(rnd, EARLY_LEAVE_MIN, EARLY_LEAVE_MAX));
        } else if (life < 0.4) {
            enter = round(duration * uniform(rnd, LATE_ENTER_MIN, LATE_ENTER_MAX));
        }
        Motion motion = rnd.nextDouble() < 0.2 ? Motion.NONE : Motion.values()[rnd.nextInt(4)];
        boolean brief = leave - enter < duration;
        double speed = motion == Motion.NONE ? 0
                : brief ? uniform(rnd, MIN_SPEED_BRIEF, MAX_SPEED_BRIEF) : uniform(rnd, MIN_SPEED, MAX_SPEED);
        double travel = speed * (leave - enter);
        double margin = 0.12;
        if (travel > 1 - 2 * margin) {
            speed = (1 - 2 * margin) / (leave - enter);
            travel = 1 - 2 * margin;
        }
        double x = start(rnd, motion.dx, travel, margin);
        double y = start(rnd, motion.dy, travel, margin);
        return new WorldObject(k.shape(), k.color(), size, motion, enter, leave, round(x), round(y), round(speed));
    }

    private boolean overlapsAtEntry(WorldObject o, List<WorldObject> others) {
        for (WorldObject p : others) {
            double t = Math.max(o.enter(), p.enter());
            if (!o.visibleAt(t) || !p.visibleAt(t)) {
                continue;
            }
            double[] a = o.centreAt(t);
            double[] b = p.centreAt(t);
            double dx = (a[0] - b[0]) * width;
            double dy = (a[1] - b[1]) * height;
            double minGap = (o.size().radius + p.size().radius) * height;
            if (dx * dx + dy * dy < minGap * minGap) {
                return true;
            }
        }
        return false;
    }

    /** Start coordinate so that the whole path stays within [margin, 1 - margin] along this axis. */
    private static double start(SplittableRandom rnd, int dir, double travel, double margin) {
        double lo = margin;
        double hi = 1 - margin;
        if (dir > 0) {
            hi -= travel;
        } else if (dir < 0) {
            lo += travel;
        }
        return uniform(rnd, lo, Math.max(lo, hi));
    }

    private static Background background(SplittableRandom rnd) {
        Background.Texture t = Background.Texture.values()[rnd.nextInt(Background.Texture.values().length)];
        // dark and desaturated: every channel 35..120, tint at most 25 from grey
        int base = 35 + rnd.nextInt(70);
        int r = base + rnd.nextInt(26) - 5;
        int g = base + rnd.nextInt(26) - 5;
        int b = base + rnd.nextInt(26) - 5;
        return new Background(t, r, g, b, 4 + rnd.nextInt(14), 3 + rnd.nextInt(10), rnd.nextLong());
    }

    private static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rnd.nextInt(i + 1));
        }
    }
}
