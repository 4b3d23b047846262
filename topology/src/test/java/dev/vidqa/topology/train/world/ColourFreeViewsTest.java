package dev.vidqa.topology.train.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.frames.world.Attributes;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.SceneRenderer;
import dev.vidqa.frames.world.SceneSampler;
import dev.vidqa.frames.world.WorldObject;
import dev.vidqa.frames.world.WorldSplit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ColourFreeViewsTest {
    private static final int W = 160;
    private static final int H = 120;

    /** Objects move to one new colour each, far from every world colour; the backdrop stays as it was. */
    @Test
    void recolouringRepaintsEachObjectAwayFromTheWorldColoursAndLeavesTheBackdrop() {
        SplittableRandom rnd = new SplittableRandom(1);
        int objectsChecked = 0;
        for (int i = 0; i < 20; i++) {
            Scene scene = new SceneSampler(9, WorldSplit.TRAIN, 6, 10, W, H).scene(i, "x");
            SceneRenderer r = new SceneRenderer(scene);
            byte[] rgb = r.rgb(0);
            int[] labels = r.labels(0.0);
            byte[] out = ColourFreeViews.recolour(rgb, labels, scene, rnd);
            for (int p = 0; p < labels.length; p++) {
                if (labels[p] == 0) {
                    for (int ch = 0; ch < 3; ch++) {
                        assertEquals(rgb[3 * p + ch], out[3 * p + ch], "backdrop pixel " + p);
                    }
                }
            }
            for (int k = 0; k < scene.objects().size(); k++) {
                WorldObject o = scene.objects().get(k);
                double[] sum = new double[3];
                int n = 0;
                for (int p = 0; p < labels.length; p++) {
                    if (labels[p] == k + 1) {
                        for (int ch = 0; ch < 3; ch++) {
                            sum[ch] += out[3 * p + ch] & 0xff;
                        }
                        n++;
                    }
                }
                if (n < 20) {
                    continue; // hidden behind another, or off screen
                }
                int[] mean = {(int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n)};
                // the codec-free render wears the world colour exactly, up to a little noise: the
                // repainted one is far from all of them (a clipped channel may cost a little)
                assertTrue(ColourFreeViews.distanceToWorld(mean) > ColourFreeViews.MIN_DISTANCE - 30,
                        o.name() + " repainted to " + java.util.Arrays.toString(mean));
                objectsChecked++;
            }
        }
        assertTrue(objectsChecked > 20, objectsChecked + " objects checked");
    }

    @Test
    void drawnColoursAreBrightAndFarFromEveryWorldColour() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 500; i++) {
            int[] c = ColourFreeViews.offWorldColour(rnd);
            assertTrue(Math.max(c[0], Math.max(c[1], c[2])) >= 170);
            for (Attributes.Colour w : Attributes.Colour.values()) {
                double d = Math.sqrt(Math.pow(c[0] - w.r, 2) + Math.pow(c[1] - w.g, 2) + Math.pow(c[2] - w.b, 2));
                assertTrue(d >= ColourFreeViews.MIN_DISTANCE, java.util.Arrays.toString(c) + " near " + w);
            }
        }
    }

    @Test
    void greyFramesHaveNoColourLeft() {
        Scene scene = new SceneSampler(9, WorldSplit.TRAIN, 6, 10, W, H).scene(3, "x");
        byte[] grey = ColourFreeViews.grey(new SceneRenderer(scene).rgb(0), new SplittableRandom(3));
        for (int p = 0; p < W * H; p++) {
            assertEquals(grey[3 * p], grey[3 * p + 1]);
            assertEquals(grey[3 * p], grey[3 * p + 2]);
        }
    }

    /** What the LM reads when its attribute words are hidden: the question's frame, nothing it names. */
    @Test
    void hiddenAttributesLeaveTheQuestionWithoutColoursOrShapes() {
        assertEquals("which way does the object move?", LmPretraining.hideAttributes("which way does the red circle move?"));
        assertEquals("the object is which shape?", LmPretraining.hideAttributes("the yellow object is which shape?"));
        assertEquals("what color is the object?", LmPretraining.hideAttributes("what color is the square?"));
        assertEquals("how many objects are there at the end?",
                LmPretraining.hideAttributes("how many objects are there at the end?"));
    }
}
