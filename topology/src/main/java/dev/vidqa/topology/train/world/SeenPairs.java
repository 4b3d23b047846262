package dev.vidqa.topology.train.world;

import dev.vidqa.answerer.train.AnswerExclusions;
import dev.vidqa.answerer.train.LinearHeads;
import dev.vidqa.frames.world.Attributes.Colour;
import dev.vidqa.frames.world.Attributes.Shape;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.WorldObject;
import dev.vidqa.frames.world.WorldWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The colour-shape pairs the training world shows, and what follows for every stage's loss: a
 * label about an object never counts against an attribute value that training never showed with
 * the object's other attribute. Without this each green circle is a lesson "green is not a
 * triangle" (the softmax pushes every other shape down), which every stage learned — vision
 * encoder, Q-Former and language model alike — so a green triangle, never in training, was
 * called a circle. With it, "triangle" gets no gradient from green objects at all and is decided
 * by what a triangle looks like. Counted from the scenes, not from the split's list.
 */
final class SeenPairs implements AnswerExclusions {
    private final boolean[][] seen = new boolean[Colour.values().length][Shape.values().length];

    SeenPairs(List<Scene> scenes) {
        for (Scene s : scenes) {
            for (WorldObject o : s.objects()) {
                seen[o.color().ordinal()][o.shape().ordinal()] = true;
            }
        }
    }

    /** The pairs of a world directory's training scenes ({@code scenes.jsonl}). */
    static SeenPairs of(Path world) throws IOException {
        return new SeenPairs(WorldWriter.readScenes(world.resolve("scenes.jsonl")));
    }

    boolean seen(Colour c, Shape s) {
        return seen[c.ordinal()][s.ordinal()];
    }

    /** Shapes no training object of colour {@code c} has. */
    List<Shape> shapesNeverWith(Colour c) {
        List<Shape> out = new ArrayList<>();
        for (Shape s : Shape.values()) {
            if (!seen(c, s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Colours no training object of shape {@code s} has. */
    List<Colour> coloursNeverWith(Shape s) {
        List<Colour> out = new ArrayList<>();
        for (Colour c : Colour.values()) {
            if (!seen(c, s)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * A shape answer to a question naming a colour leaves out the shapes never seen in that colour;
     * a colour answer to a question naming a shape, the colours never seen on that shape.
     */
    @Override
    public List<String> excluded(String question, String answer) {
        DescribeTargets.Named named = DescribeTargets.Named.in(question);
        Colour colour = named.colour();
        Shape shape = named.shape();
        String a = answer.trim().toLowerCase(Locale.ROOT);
        if (Shape.named(a) != null && colour != null) {
            return shapesNeverWith(colour).stream().map(Shape::word).toList();
        }
        if (Colour.named(a) != null && shape != null) {
            return coloursNeverWith(shape).stream().map(Colour::word).toList();
        }
        return List.of();
    }

    /**
     * For patch labels ({@code [0]} colour, {@code [1]} shape; 0 = none, else 1 + ordinal): per
     * group and patch, the classes left out of that patch's softmax.
     */
    long[][][] patchExclusions(int[][] labels) {
        int n = labels[0].length;
        long[][][] out = new long[2][n][];
        for (int k = 0; k < n; k++) {
            int c = labels[0][k];
            int s = labels[1][k];
            if (c > 0 && s > 0) {
                out[0][k] = coloursNeverWith(Shape.values()[s - 1]).stream().mapToLong(v -> 1 + v.ordinal()).toArray();
                out[1][k] = shapesNeverWith(Colour.values()[c - 1]).stream().mapToLong(v -> 1 + v.ordinal()).toArray();
            }
        }
        return out;
    }

    /** For an object's colour and shape labels (class = ordinal): {colours left out, shapes left out}. */
    long[][] objectExclusions(Colour c, Shape s) {
        return new long[][] {coloursNeverWith(s).stream().mapToLong(Colour::ordinal).toArray(),
                shapesNeverWith(c).stream().mapToLong(Shape::ordinal).toArray()};
    }

    /**
     * The whole-frame targets ({@link DescribeTargets#targets}) with "absent" unlabelled where a
     * visible object could not have shown the attribute in training (a frame with a green object
     * says nothing about triangles: no training frame had a green triangle to tell them apart).
     */
    int[][] withoutUnseenAbsence(int[][] targets, Scene scene, double[] t) {
        int colours = Colour.values().length;
        for (int f = 0; f < t.length; f++) {
            List<WorldObject> visible = scene.visibleAt(t[f]);
            for (int a = 0; a < DescribeTargets.ATTRIBUTES; a++) {
                if (targets[3 * a][f] != 0) {
                    continue;
                }
                for (WorldObject o : visible) {
                    boolean never = a < colours ? !seen(Colour.values()[a], o.shape())
                            : !seen(o.color(), Shape.values()[a - colours]);
                    if (never) {
                        targets[3 * a][f] = LinearHeads.IGNORE;
                        break;
                    }
                }
            }
        }
        return targets;
    }
}
