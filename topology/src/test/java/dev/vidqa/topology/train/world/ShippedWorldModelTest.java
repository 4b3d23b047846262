package dev.vidqa.topology.train.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.frames.world.WorldWriter;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.topology.eval.DatasetReader;
import dev.vidqa.topology.eval.EvalDataset;
import dev.vidqa.topology.eval.EvalItem;
import dev.vidqa.topology.eval.EvalReport;
import dev.vidqa.topology.eval.EvalRunner;
import dev.vidqa.topology.eval.EvalSettings;
import dev.vidqa.topology.eval.Prediction;
import dev.vidqa.topology.pipeline.AnswerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The world model the repository ships answers held-out questions (clips generated here, never
 * trained on) far above chance. Issue 12's target is 85 % on this test, and the floor: the shipped model
 * measures 89.2 % on these 130 questions and 86.5 % on the 1,630 of the held-out split (see its model
 * card). A model or pipeline regression toward
 * guessing (about 35 % over these types), random weights, losing the frame order (an older model's
 * 57 %) or the models before the last two (80.8 and 70.8 % here) fails it.
 */
class ShippedWorldModelTest {
    static final Path MODEL = Path.of(System.getProperty("vidqa.home", ".."), "topology/models/vidqa-world-t5");

    /** The level the shipped model is held to: issue 12's 85 % (89.2 % measured on these 130; the model before, 85.4 %, barely passed). */
    static final int FLOOR = 85;

    @TempDir
    Path dir;

    @Test
    void answersHeldOutQuestionsFarAboveChance() throws Exception {
        assertTrue(Files.isRegularFile(MODEL.resolve("model.safetensors")), "no shipped model at " + MODEL.toAbsolutePath());
        // a seed the recipe never used: new scenes, with the held-out phrasings and colour-shape pairs
        WorldWriter.write(dir, new WorldWriter.Spec(2026, 24, WorldSplit.HELDOUT, 160, 120, 10, 6.0, 2));
        List<EvalItem> items = DatasetReader.read(EvalDataset.JSONL, dir.resolve("qa.jsonl"), dir, null, null);
        assertTrue(items.size() >= 100, items.size() + " questions");
        AnswerSettings answer = AnswerSettings.forModel(MODEL);
        assertEquals(8, answer.samplingSpec().frames(), "the model answers from the 8 frames it was trained on");
        List<Prediction> predictions;
        try (InstructBlipVideo m = InstructBlipVideo.load(MODEL, DeviceChoice.CPU)) {
            predictions = new EvalRunner(m, new EvalSettings(EvalDataset.JSONL, answer, true))
                    .run(items, dir.resolve("eval"), System.err, null);
        }
        EvalReport r = EvalReport.of("world", MODEL.toString(), predictions, Map.of());
        System.err.printf("shipped world model: %.1f %% of %d held-out questions; %s; %s%n", r.accuracy(), r.scored(),
                r.byType(), r.byTag());
        assertEquals(0, r.errors());
        assertEquals(6, r.byType().size(), "every question type asked: " + r.byType());
        assertTrue(r.accuracy() >= FLOOR, String.format("%.1f %% < %d %%: %s", r.accuracy(), FLOOR, r.byType()));
    }
}
