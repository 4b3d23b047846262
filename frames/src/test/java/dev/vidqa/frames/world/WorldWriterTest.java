package dev.vidqa.frames.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.frames.world.Attributes.Colour;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void clipsShowEachObjectInItsColourWhereTheSceneSaysItIs() throws Exception {
        WorldWriter.Result r = WorldWriter.write(dir, new WorldWriter.Spec(7, 6, WorldSplit.TRAIN, 160, 120, 10, 6.0, 2));
        assertEquals(6, r.clips());
        List<Scene> scenes = WorldWriter.readScenes(r.scenes());
        assertEquals(6, scenes.size());
        int checked = 0;
        for (Scene s : scenes) {
            List<DecodedFrame> frames = new VideoDecoder().decodeAll(new VideoSource.File(dir.resolve(s.video())));
            assertEquals(60, frames.size(), s.video());
            for (int i : new int[] {5, 30, 55}) {
                DecodedFrame f = frames.get(i);
                double t = i / 10.0;
                int[] labels = new SceneRenderer(s).labels(t);
                for (int k = 0; k < s.objects().size(); k++) {
                    WorldObject o = s.objects().get(k);
                    double[] c = o.centreAt(t);
                    int x = (int) (c[0] * 160);
                    int y = (int) (c[1] * 120 + (o.shape() == Attributes.Shape.TRIANGLE ? 0.3 * o.size().radius * 120 : 0));
                    if (!o.visibleAt(t) || labels[y * 160 + x] != k + 1) {
                        continue; // hidden behind a later object or off screen
                    }
                    int p = (y * 160 + x) * 3;
                    int dr = (f.rgb()[p] & 0xFF) - o.color().r;
                    int dg = (f.rgb()[p + 1] & 0xFF) - o.color().g;
                    int db = (f.rgb()[p + 2] & 0xFF) - o.color().b;
                    assertTrue(Math.sqrt(dr * dr + dg * dg + db * db) < 70,
                            s.video() + " frame " + i + ": " + o.name() + " at (" + x + "," + y + ") decoded as "
                                    + (f.rgb()[p] & 0xFF) + "," + (f.rgb()[p + 1] & 0xFF) + "," + (f.rgb()[p + 2] & 0xFF));
                    checked++;
                }
                // a backdrop pixel is never close to an object colour
                for (int p = 0; p < labels.length; p += 97) {
                    if (labels[p] == 0 && farFromEveryObject(labels, p, 160, 120)) {
                        for (Colour c : Colour.values()) {
                            int dr = (f.rgb()[3 * p] & 0xFF) - c.r;
                            int dg = (f.rgb()[3 * p + 1] & 0xFF) - c.g;
                            int db = (f.rgb()[3 * p + 2] & 0xFF) - c.b;
                            assertTrue(Math.sqrt(dr * dr + dg * dg + db * db) > 90, "backdrop looks " + c);
                        }
                    }
                }
            }
        }
        assertTrue(checked >= 10, "checked " + checked + " object centres");
    }

    private static boolean farFromEveryObject(int[] labels, int p, int w, int h) {
        int x0 = p % w;
        int y0 = p / w;
        for (int y = Math.max(0, y0 - 4); y < Math.min(h, y0 + 5); y++) {
            for (int x = Math.max(0, x0 - 4); x < Math.min(w, x0 + 5); x++) {
                if (labels[y * w + x] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void trainingNeverShowsAHeldOutCombinationOrPhrasingAndHeldOutDoes() throws Exception {
        Path train = dir.resolve("train");
        Path held = dir.resolve("heldout");
        SceneSampler ts = new SceneSampler(7, WorldSplit.TRAIN, 6, 10, 160, 120);
        SceneSampler hs = new SceneSampler(7, WorldSplit.HELDOUT, 6, 10, 160, 120);
        int heldOutObjects = 0;
        for (int i = 0; i < 3000; i++) {
            for (WorldObject o : ts.scene(i, "x").objects()) {
                assertFalse(new WorldSplit.Combo(o.color(), o.shape()).heldOut(), "train scene " + i + " has " + o.name());
            }
            for (WorldObject o : hs.scene(i, "x").objects()) {
                heldOutObjects += new WorldSplit.Combo(o.color(), o.shape()).heldOut() ? 1 : 0;
            }
        }
        assertTrue(heldOutObjects > 1000, "held-out scenes show held-out pairs: " + heldOutObjects);
        QuestionMaker tm = new QuestionMaker(WorldSplit.TRAIN);
        QuestionMaker hm = new QuestionMaker(WorldSplit.HELDOUT);
        Set<String> heldPhrasings = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            for (WorldQa q : tm.questions(ts.scene(i, "x"), i, new java.util.SplittableRandom(i))) {
                assertEquals(WorldQa.SEEN, q.phrasing(), q.question());
                assertEquals(WorldQa.SEEN, q.combo(), q.question());
                for (String word : List.of("green triangle", "blue circle", "yellow square", "is which", "in which direction?",
                        "in the video?", "visible when")) {
                    assertFalse(q.question().contains(word), q.question());
                }
            }
            for (WorldQa q : hm.questions(hs.scene(i, "x"), i, new java.util.SplittableRandom(i))) {
                if (q.phrasing().equals(WorldQa.HELDOUT)) {
                    heldPhrasings.add(q.type() + "");
                }
            }
        }
        assertEquals(QuestionType.values().length, heldPhrasings.size(), "every type has held-out phrasings: " + heldPhrasings);
        assertTrue(Files.notExists(train) && Files.notExists(held));
    }

    /** Answers recomputed from the scene by a reading of the question independent of the generator. */
    @Test
    void everyAnswerFollowsFromTheScene() throws Exception {
        WorldWriter.Result r = WorldWriter.write(dir, new WorldWriter.Spec(11, 40, WorldSplit.HELDOUT, 64, 48, 4, 6.0, 2));
        List<Scene> scenes = WorldWriter.readScenes(r.scenes());
        java.util.Map<String, Scene> byVideo = new java.util.HashMap<>();
        scenes.forEach(s -> byVideo.put(s.video(), s));
        Set<String> types = new HashSet<>();
        List<String> lines = Files.readAllLines(r.qa(), StandardCharsets.UTF_8);
        assertEquals(r.questions(), lines.size());
        for (String line : lines) {
            JsonNode q = JSON.readTree(line);
            Scene s = byVideo.get(q.get("video").asText());
            String question = q.get("question").asText();
            String answer = q.get("answer").asText();
            types.add(q.get("type").asText());
            List<String> words = List.of(question.replace("?", "").replace(",", "").split(" "));
            List<WorldObject> named = new ArrayList<>(s.objects());
            for (String w : words) {
                named.removeIf(o -> isColour(w) && !o.color().word().equals(w) || isShape(w) && !o.shape().word().equals(w));
            }
            switch (q.get("type").asText()) {
                case "color" -> assertEquals(List.of(answer), named.stream().map(o -> o.color().word()).toList(), question);
                case "shape" -> assertEquals(List.of(answer), named.stream().map(o -> o.shape().word()).toList(), question);
                case "motion" -> assertEquals(List.of(answer), named.stream().map(o -> o.motion().word()).toList(), question);
                case "presence" -> assertEquals(named.isEmpty() ? "no" : "yes", answer, question);
                case "when" -> assertEquals(named.get(0).enter() > 0 ? "end" : "beginning", answer, question);
                case "count" -> {
                    boolean begin = words.contains("beginning");
                    long n = s.objects().stream().filter(o -> begin ? o.enter() == 0 : o.leave() >= s.duration()).count();
                    assertEquals(Long.toString(n), answer, question);
                }
                default -> throw new AssertionError(q);
            }
        }
        assertEquals(Set.of("color", "shape", "count", "motion", "presence", "when"), types);
    }

    private static boolean isColour(String w) {
        return List.of("red", "green", "blue", "yellow", "white").contains(w);
    }

    private static boolean isShape(String w) {
        return List.of("circle", "square", "triangle").contains(w);
    }
}
