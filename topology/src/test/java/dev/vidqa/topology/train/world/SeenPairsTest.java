package dev.vidqa.topology.train.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vidqa.answerer.train.LinearHeads;
import dev.vidqa.frames.world.Attributes.Colour;
import dev.vidqa.frames.world.Attributes.Motion;
import dev.vidqa.frames.world.Attributes.Shape;
import dev.vidqa.frames.world.Attributes.Size;
import dev.vidqa.frames.world.Background;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.WorldObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeenPairsTest {
    private static WorldObject object(Colour c, Shape s, double enter, double leave) {
        return new WorldObject(s, c, Size.SMALL, Motion.NONE, enter, leave, 0.5, 0.5, 0);
    }

    private static Scene scene(WorldObject... objects) {
        return new Scene("clips/x.mp4", 6.0, 10, 160, 120,
                new Background(Background.Texture.values()[0], 60, 60, 60, 0, 0, 1), List.of(objects));
    }

    /** Training showed green only as a circle, triangles only in red; everything else in red. */
    private static final SeenPairs PAIRS = new SeenPairs(List.of(
            scene(object(Colour.GREEN, Shape.CIRCLE, 0, 6), object(Colour.RED, Shape.TRIANGLE, 0, 6)),
            scene(object(Colour.RED, Shape.CIRCLE, 0, 6), object(Colour.RED, Shape.SQUARE, 0, 6))));

    @Test
    void answersNeverSeenWithWhatTheQuestionNamesAreLeftOut() {
        assertEquals(List.of(Shape.SQUARE, Shape.TRIANGLE), PAIRS.shapesNeverWith(Colour.GREEN));
        assertEquals(List.of("square", "triangle"), PAIRS.excluded("what shape is the green object?", "circle"));
        assertEquals(List.of("green", "blue", "yellow", "white"), PAIRS.excluded("the triangle is which color?", "red"));
        assertEquals(List.of(), PAIRS.excluded("what shape is the red object?", "square"), "red had every shape");
        assertEquals(List.of(), PAIRS.excluded("which way does the green circle move?", "left"), "not an attribute answer");
        assertEquals(List.of(), PAIRS.excluded("how many objects are there at the end?", "2"));
    }

    @Test
    void patchesAndNamedObjectsLeaveOutTheirUnseenPartners() {
        // patch 0 backdrop, 1 a green circle, 2 a red triangle, 3 a repainted copy (no colour label)
        int[][] labels = {{0, 1 + Colour.GREEN.ordinal(), 1 + Colour.RED.ordinal(), LinearHeads.IGNORE},
                {0, 1 + Shape.CIRCLE.ordinal(), 1 + Shape.TRIANGLE.ordinal(), 1 + Shape.TRIANGLE.ordinal()}};
        long[][][] left = PAIRS.patchExclusions(labels);
        assertNull(left[0][0]);
        assertArrayEquals(new long[] {1 + Shape.SQUARE.ordinal(), 1 + Shape.TRIANGLE.ordinal()}, left[1][1]);
        assertArrayEquals(new long[] {}, left[1][2]);
        assertArrayEquals(new long[] {1 + Colour.GREEN.ordinal(), 1 + Colour.BLUE.ordinal(), 1 + Colour.YELLOW.ordinal(),
                1 + Colour.WHITE.ordinal()}, left[0][2]);
        assertNull(left[1][3], "a repainted copy's shape is free of colour: nothing left out");
        assertArrayEquals(new long[] {Shape.SQUARE.ordinal(), Shape.TRIANGLE.ordinal()},
                PAIRS.objectExclusions(Colour.GREEN, Shape.CIRCLE)[1]);
    }

    @Test
    void absenceIsUnlabelledWhereAVisibleObjectCouldNotHaveShownIt() {
        Scene s = scene(object(Colour.GREEN, Shape.CIRCLE, 0, 3), object(Colour.RED, Shape.SQUARE, 0, 6));
        double[] t = {1.0, 5.0}; // with the green circle, then without
        int[][] targets = PAIRS.withoutUnseenAbsence(DescribeTargets.targets(s, t), s, t);
        int colours = Colour.values().length;
        int triangle = 3 * (colours + Shape.TRIANGLE.ordinal());
        assertEquals(LinearHeads.IGNORE, targets[triangle][0], "a green object says nothing about triangles");
        assertEquals(0, targets[triangle][1], "a red square does: red triangles were seen");
        int square = 3 * (colours + Shape.SQUARE.ordinal());
        assertEquals(1, targets[square][0], "presence is kept");
        int white = 3 * Colour.WHITE.ordinal();
        assertEquals(LinearHeads.IGNORE, targets[white][1], "no white object was seen: a square says nothing about white");
        int green = 3 * Colour.GREEN.ordinal();
        assertEquals(LinearHeads.IGNORE, targets[green][1], "green squares were never seen");
        int red = 3 * Colour.RED.ordinal();
        assertEquals(1, targets[red][1]);
    }
}
