package dev.vidqa.topology.train.world;

import dev.vidqa.answerer.train.LinearHeads;
import dev.vidqa.frames.world.Attributes;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.WorldObject;
import dev.vidqa.frames.world.WorldSplit;
import java.util.List;

/**
 * What the describing stage ({@link QFormerPretraining}) asks of each frame's soft prompt, from the
 * scene's ground truth: whole-frame groups (for every colour and shape, on screen or not and its
 * 8 x 8 cell; the object count) and the "focus" groups about the object a question names.
 */
final class DescribeTargets {
    static final int GRID = 8;

    private DescribeTargets() {}

    /** Whole-frame attributes: every colour, then every shape. */
    static final int ATTRIBUTES = Attributes.Colour.values().length + Attributes.Shape.values().length;

    /** Whole-frame groups: for each colour then each shape, present / x cell / y cell; the object count. */
    static final int FRAME_GROUPS = ATTRIBUTES * 3 + 1;

    /**
     * Groups: the whole-frame ones, then about the object the question names (its "focus"): on screen
     * or not, its colour, its shape, its x and y cells.
     */
    static int[] classes() {
        int[] c = new int[FRAME_GROUPS + 5];
        for (int a = 0; a < ATTRIBUTES; a++) {
            c[3 * a] = 2;
            c[3 * a + 1] = GRID;
            c[3 * a + 2] = GRID;
        }
        c[FRAME_GROUPS - 1] = 6;
        c[FRAME_GROUPS] = 2;
        c[FRAME_GROUPS + 1] = Attributes.Colour.values().length;
        c[FRAME_GROUPS + 2] = Attributes.Shape.values().length;
        c[FRAME_GROUPS + 3] = GRID;
        c[FRAME_GROUPS + 4] = GRID;
        return c;
    }

    /**
     * The focus targets of a question at each frame: the object it names by colour and/or shape
     * (the only one the scene has with them), whether it is on screen, and what and where it is.
     * A question naming nothing (counting) has no focus labels.
     */
    static int[][] focusTargets(Scene scene, double[] t, String question) {
        int[][] out = new int[5][t.length];
        for (int[] row : out) {
            java.util.Arrays.fill(row, LinearHeads.IGNORE);
        }
        List<WorldObject> named = matching(scene, question);
        if (named == null || named.size() > 1) {
            return out; // names nothing, or several (not a question the world asks): no labels
        }
        WorldObject focus = named.isEmpty() ? null : named.get(0);
        for (int f = 0; f < t.length; f++) {
            boolean on = focus != null && focus.visibleAt(t[f]);
            out[0][f] = on ? 1 : 0;
            if (on) {
                double[] c = focus.centreAt(t[f]);
                out[1][f] = focus.color().ordinal();
                out[2][f] = focus.shape().ordinal();
                out[3][f] = cell(c[0]);
                out[4][f] = cell(c[1]);
            }
        }
        return out;
    }

    /** The colour and the shape a question's words name (the last of each; null where it names none). */
    record Named(Attributes.Colour colour, Attributes.Shape shape) {
        static Named in(String question) {
            Attributes.Colour colour = null;
            Attributes.Shape shape = null;
            for (String w : question.toLowerCase(java.util.Locale.ROOT).split("[^a-z]+")) {
                Attributes.Colour c = Attributes.Colour.named(w);
                Attributes.Shape sh = Attributes.Shape.named(w);
                colour = c != null ? c : colour;
                shape = sh != null ? sh : shape;
            }
            return new Named(colour, shape);
        }
    }

    /** Whether the question names a colour ({@code colour}) or a shape (otherwise). */
    static boolean names(String question, boolean colour) {
        Named n = Named.in(question);
        return (colour ? n.colour() : n.shape()) != null;
    }

    /** The one object a question names by colour and/or shape; null when it names none or several. */
    static WorldObject named(Scene scene, String question) {
        List<WorldObject> m = matching(scene, question);
        return m != null && m.size() == 1 ? m.get(0) : null;
    }

    /** The objects with the colour and/or shape a question names; null when it names neither. */
    private static List<WorldObject> matching(Scene scene, String question) {
        Named n = Named.in(question);
        if (n.colour() == null && n.shape() == null) {
            return null;
        }
        return scene.objects().stream().filter(o -> (n.colour() == null || o.color() == n.colour())
                && (n.shape() == null || o.shape() == n.shape())).toList();
    }

    /** The whole-frame targets of the frames at times {@code t}: [group][frame]. */
    static int[][] targets(Scene scene, double[] t) {
        int[][] out = new int[FRAME_GROUPS][t.length];
        for (int f = 0; f < t.length; f++) {
            List<WorldObject> visible = scene.visibleAt(t[f]);
            for (int a = 0; a < ATTRIBUTES; a++) {
                final int attribute = a;
                put(out, a, f, visible.stream().filter(o -> has(o, attribute)).toList(), t[f]);
            }
            out[FRAME_GROUPS - 1][f] = Math.min(5, visible.size());
        }
        return out;
    }

    /** Whether an object has whole-frame attribute {@code attribute} (colours first, then shapes). */
    static boolean has(WorldObject o, int attribute) {
        int colours = Attributes.Colour.values().length;
        return attribute < colours ? o.color().ordinal() == attribute : o.shape().ordinal() == attribute - colours;
    }

    /** Whether the objects with an attribute have colour-shape pairs training saw, held out, or both. */
    enum Pairs { NONE, SEEN, HELD_OUT, MIXED }

    /**
     * The pairs of the {@code visible} objects that have whole-frame attribute {@code attribute}
     * (colours first, then shapes, as in {@link #targets}): for the held-out check of the maps —
     * does "a triangle, there" survive a triangle in a colour training never showed one in?
     */
    static Pairs pairs(List<WorldObject> visible, int attribute) {
        boolean seen = false;
        boolean held = false;
        for (WorldObject o : visible) {
            if (has(o, attribute)) {
                boolean h = new WorldSplit.Combo(o.color(), o.shape()).heldOut();
                held |= h;
                seen |= !h;
            }
        }
        return seen && held ? Pairs.MIXED : held ? Pairs.HELD_OUT : seen ? Pairs.SEEN : Pairs.NONE;
    }

    /** Present or not; where, when exactly one object has the attribute (else no position label). */
    private static void put(int[][] out, int attr, int f, List<WorldObject> having, double t) {
        out[3 * attr][f] = having.isEmpty() ? 0 : 1;
        if (having.size() == 1) {
            double[] c = having.get(0).centreAt(t);
            out[3 * attr + 1][f] = cell(c[0]);
            out[3 * attr + 2][f] = cell(c[1]);
        } else {
            out[3 * attr + 1][f] = LinearHeads.IGNORE;
            out[3 * attr + 2][f] = LinearHeads.IGNORE;
        }
    }

    private static int cell(double v) {
        return Math.max(0, Math.min(GRID - 1, (int) Math.floor(v * GRID)));
    }
}
