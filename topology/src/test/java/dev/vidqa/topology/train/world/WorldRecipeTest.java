package dev.vidqa.topology.train.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.train.LinearHeads;
import dev.vidqa.frames.world.Attributes.Colour;
import dev.vidqa.frames.world.Attributes.Motion;
import dev.vidqa.frames.world.Attributes.Shape;
import dev.vidqa.frames.world.Attributes.Size;
import dev.vidqa.frames.world.PatchLabels;
import dev.vidqa.frames.world.QuestionType;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.SceneRenderer;
import dev.vidqa.frames.world.SceneSampler;
import dev.vidqa.frames.world.WorldObject;
import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.topology.pipeline.AnswerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldRecipeTest {
    @TempDir
    Path dir;

    /** Every stage runs, the model comes out with its settings and card; a second run redoes nothing. */
    @Test
    void theRecipeRunsEveryStageOnceAndPublishesAModelWithItsCard() throws Exception {
        WorldRecipe.Settings s = WorldRecipe.Settings.defaults(dir).withClips(10, 4)
                .withStageSteps(Map.of("vision", 3L, "describe", 3L, "lm", 3L, "qformer", 3L))
                .withDevice(DeviceChoice.CPU);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path model = new WorldRecipe(s, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertTrue(Files.isRegularFile(model.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(model.resolve("qformer_tokenizer/tokenizer.json")));
        assertTrue(WorldRecipe.isWorldModel(model));
        assertEquals(8, AnswerSettings.forModel(model).samplingSpec().frames());
        String card = Files.readString(model.resolve("README.md"));
        for (String type : new String[] {"color", "shape", "count", "motion", "presence", "when"}) {
            assertTrue(card.contains("| " + type + " |"), "card reports " + type + ":\n" + card);
        }
        assertTrue(card.contains("phrasing=heldout") && card.contains("combo=heldout"), card);
        assertTrue(Files.notExists(model.resolve("optimizer.safetensors")), "no optimiser state in the published model");
        for (String stage : WorldRecipe.STAGES) {
            assertTrue(Files.isRegularFile(dir.resolve(stage).resolve(WorldRecipe.DONE)), stage);
        }
        long written = Files.getLastModifiedTime(dir.resolve("stage3-lm").resolve(WorldRecipe.DONE)).toMillis();

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new WorldRecipe(s, new PrintStream(again, true, StandardCharsets.UTF_8)).run();
        String second = again.toString(StandardCharsets.UTF_8);
        for (String stage : WorldRecipe.STAGES) {
            assertTrue(second.contains(stage + " already done"), second);
        }
        assertEquals(written, Files.getLastModifiedTime(dir.resolve("stage3-lm").resolve(WorldRecipe.DONE)).toMillis());
        assertTrue(new ObjectMapper().readTree(dir.resolve("eval-heldout/summary.json").toFile()).path("scored").asInt() > 10);
    }

    /** The describing stage's targets, checked against the scene by hand. */
    @Test
    void frameTargetsSayWhichColoursAndShapesAreWhere() {
        Scene scene = new SceneSampler(3, WorldSplit.TRAIN, 6, 10, 160, 120).scene(5, "x");
        double t = 0.3;
        int[][] targets = DescribeTargets.targets(scene, new double[] {t});
        long visible = scene.objects().stream().filter(o -> o.visibleAt(t)).count();
        assertEquals(visible, targets[DescribeTargets.FRAME_GROUPS - 1][0], "count");
        for (WorldObject o : scene.visibleAt(t)) {
            int colour = o.color().ordinal();
            assertEquals(1, targets[3 * colour][0], o.name() + " colour present");
            long sameColour = scene.visibleAt(t).stream().filter(p -> p.color() == o.color()).count();
            int x = targets[3 * colour + 1][0];
            if (sameColour == 1) {
                assertEquals((int) Math.floor(o.centreAt(t)[0] * 8), x, o.name() + " x cell");
            } else {
                assertEquals(LinearHeads.IGNORE, x, "two objects of one colour: no position label");
            }
        }
        // and a colour no visible object has is absent
        for (var c : dev.vidqa.frames.world.Attributes.Colour.values()) {
            if (scene.visibleAt(t).stream().noneMatch(o -> o.color() == c)) {
                assertEquals(0, targets[3 * c.ordinal()][0], c + " absent");
            }
        }
    }

    /** The named object's targets follow that object alone: on screen while it is, its colour and cell. */
    @Test
    void focusTargetsFollowTheObjectTheQuestionNames() {
        SceneSampler sampler = new SceneSampler(5, WorldSplit.TRAIN, 6, 10, 160, 120);
        double[] t = {0.3, 1.1, 1.8, 2.6, 3.3, 4.1, 4.8, 5.6};
        int checked = 0;
        for (int i = 0; i < 40; i++) {
            Scene scene = sampler.scene(i, "x");
            for (WorldObject o : scene.objects()) {
                int[][] f = DescribeTargets.focusTargets(scene, t, "when is the " + o.name() + " visible?");
                for (int k = 0; k < t.length; k++) {
                    assertEquals(o.visibleAt(t[k]) ? 1 : 0, f[0][k], o.name() + " at " + t[k]);
                    if (o.visibleAt(t[k])) {
                        assertEquals(o.color().ordinal(), f[1][k]);
                        assertEquals((int) Math.floor(o.centreAt(t[k])[1] * 8), f[4][k], "y cell");
                        checked++;
                    } else {
                        assertEquals(LinearHeads.IGNORE, f[1][k], "no colour label while off screen");
                    }
                }
            }
            int[][] count = DescribeTargets.focusTargets(scene, t, "how many objects are there at the end?");
            assertEquals(LinearHeads.IGNORE, count[0][0], "a counting question names no object");
        }
        assertTrue(checked > 100, checked + " frames checked");
    }

    /**
     * A held-out phrasing is a new arrangement of words training uses: a word-level model has no way
     * to read a word it never trained on ("moves" beside training's "move" and "moving" once was one).
     */
    @Test
    void everyWordOfAHeldOutPhrasingIsAWordTrainingUses() {
        Set<String> trained = new HashSet<>();
        WorldRecipe.TEMPLATES.forEach(text -> trained.addAll(words(text)));
        trained.addAll(words("{c} {s} {t}"));
        for (QuestionType t : QuestionType.values()) {
            t.trainedPhrasings().forEach(p -> trained.addAll(words(p)));
        }
        for (QuestionType t : QuestionType.values()) {
            for (String held : t.heldOutPhrasings()) {
                for (String w : words(held)) {
                    assertTrue(trained.contains(w), t + "'s held-out phrasing '" + held + "': '" + w
                            + "' is in no training phrasing or template");
                }
            }
        }
    }

    private static final Pattern WORD = Pattern.compile("\\w+|[^\\w\\s]+");

    /** Words and runs of punctuation, lower case. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** What a question names, for the held-out check (which scores only what the question does not say). */
    @Test
    void aQuestionNamesTheColoursAndShapesItsWordsSay() {
        assertTrue(DescribeTargets.names("what shape is the green object?", true));
        assertFalse(DescribeTargets.names("what shape is the green object?", false), "\"shape\" names none");
        assertTrue(DescribeTargets.names("the triangle is which color?", false));
        assertFalse(DescribeTargets.names("the triangle is which color?", true), "\"color\" names none");
        assertTrue(DescribeTargets.names("Question: is there a Yellow square? Short answer:", true));
        assertFalse(DescribeTargets.names("how many objects are there at the end?", false));
    }

    /** The held-out map check's buckets: a colour or shape whose objects all have seen pairs, all held-out ones, or both. */
    @Test
    void attributesAreBucketedByThePairsOfTheObjectsWithThem() {
        WorldObject greenTriangle = object(Shape.TRIANGLE, Colour.GREEN); // held out
        WorldObject redTriangle = object(Shape.TRIANGLE, Colour.RED);
        WorldObject greenCircle = object(Shape.CIRCLE, Colour.GREEN);
        int green = Colour.GREEN.ordinal();
        int triangle = Colour.values().length + Shape.TRIANGLE.ordinal();
        int circle = Colour.values().length + Shape.CIRCLE.ordinal();
        int square = Colour.values().length + Shape.SQUARE.ordinal();
        List<WorldObject> alone = List.of(greenTriangle);
        assertEquals(DescribeTargets.Pairs.HELD_OUT, DescribeTargets.pairs(alone, triangle));
        assertEquals(DescribeTargets.Pairs.HELD_OUT, DescribeTargets.pairs(alone, green));
        assertEquals(DescribeTargets.Pairs.NONE, DescribeTargets.pairs(alone, square));
        List<WorldObject> three = List.of(greenTriangle, redTriangle, greenCircle);
        assertEquals(DescribeTargets.Pairs.MIXED, DescribeTargets.pairs(three, triangle));
        assertEquals(DescribeTargets.Pairs.MIXED, DescribeTargets.pairs(three, green));
        assertEquals(DescribeTargets.Pairs.SEEN, DescribeTargets.pairs(three, circle));
        assertEquals(DescribeTargets.Pairs.SEEN, DescribeTargets.pairs(three, Colour.RED.ordinal()));
    }

    private static WorldObject object(Shape shape, Colour colour) {
        return new WorldObject(shape, colour, Size.SMALL, Motion.NONE, 0, 6, 0.5, 0.5, 0);
    }

    /** Patch labels: the patch under an object's centre shows it; a corner far from all objects is backdrop. */
    @Test
    void patchLabelsNameTheObjectUnderThePatch() {
        Scene scene = new SceneSampler(4, WorldSplit.TRAIN, 6, 10, 160, 120).scene(1, "x");
        SceneRenderer r = new SceneRenderer(scene);
        int grid = 8;
        int[][] labels = PatchLabels.at(r, 0.0, grid);
        int[] id = r.labels(0.0);
        int checked = 0;
        for (WorldObject o : scene.visibleAt(0.0)) {
            double[] c = o.centreAt(0.0);
            int px = (int) (c[0] * 160);
            int py = (int) (c[1] * 120);
            if (id[py * 160 + px] != scene.objects().indexOf(o) + 1 || o.size() != dev.vidqa.frames.world.Attributes.Size.LARGE) {
                continue; // hidden, or small enough to straddle patches
            }
            int patch = (py * grid / 120) * grid + px * grid / 160;
            assertEquals(1 + o.color().ordinal(), labels[0][patch], o.name());
            assertEquals(1 + o.shape().ordinal(), labels[1][patch], o.name());
            checked++;
        }
        int backdrop = 0;
        for (int p = 0; p < grid * grid; p++) {
            backdrop += labels[0][p] == 0 ? 1 : 0;
        }
        assertTrue(backdrop > 0 && backdrop < grid * grid, backdrop + " backdrop patches");
        assertTrue(checked > 0 || scene.objects().stream().noneMatch(o -> o.size() == dev.vidqa.frames.world.Attributes.Size.LARGE));
    }

    /** The centre map marks one patch per object on screen, hidden or not, and none for objects gone. */
    @Test
    void centreMapMarksEachObjectOnScreenOnce() {
        int grid = 8;
        int scenes = 0;
        for (int seed = 1; seed <= 40; seed++) {
            Scene scene = new SceneSampler(seed, WorldSplit.TRAIN, 6, 10, 160, 120).scene(1, "x");
            SceneRenderer r = new SceneRenderer(scene);
            for (double t : new double[] {0.0, 5.9}) {
                int[] centre = PatchLabels.at(r, t, grid)[2];
                Set<Integer> expected = new HashSet<>();
                for (WorldObject o : scene.visibleAt(t)) {
                    double[] c = o.centreAt(t);
                    expected.add((int) (c[1] * 120) * grid / 120 * grid + (int) (c[0] * 160) * grid / 160);
                }
                Set<Integer> marked = new HashSet<>();
                for (int p = 0; p < grid * grid; p++) {
                    if (centre[p] == 1) {
                        marked.add(p);
                    } else {
                        assertEquals(0, centre[p]);
                    }
                }
                assertEquals(expected, marked, "seed " + seed + " at " + t);
                scenes += expected.size() == scene.visibleAt(t).size() ? 1 : 0;
            }
        }
        assertTrue(scenes > 60, scenes + " of 80 frames with each centre in its own patch");
    }
}
