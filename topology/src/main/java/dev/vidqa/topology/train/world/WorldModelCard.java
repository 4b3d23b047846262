package dev.vidqa.topology.train.world;

import dev.vidqa.topology.eval.EvalReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The world model's {@code README.md}: what it was trained on, how, in what time, how well it
 * answers by question type and on what was held out, and what it cannot do.
 */
final class WorldModelCard {
    private WorldModelCard() {}

    /** Seconds each stage took, by stage name. */
    static void write(Path model, WorldRecipe.Settings s, Map<String, Double> stageSeconds, EvalReport heldOut,
                      String machine) throws IOException {
        // the input the card states is the model's own (config.json), not what the recipe once used
        JsonNode vision = new ObjectMapper().readTree(model.resolve("config.json").toFile()).path("vision_config");
        int image = vision.path("image_size").asInt();
        String input = image + "×" + image;
        StringBuilder b = new StringBuilder();
        b.append("# vidqa-world-t5\n\n");
        b.append("A tiny InstructBLIP-video (FlanT5-shaped LM) that answers questions about the videos of vidqa's generated"
                + " world — coloured circles, squares and triangles that move, come and go over textured, noisy"
                + " backdrops — and nothing else. It exists so that every stage of vidqa (decode → sample → vision"
                + " encoder → instruction-aware Q-Former → LM → Kafka) is shown to carry meaning end to end, measured"
                + " on questions it was not trained on. It was trained by vidqa itself:\n\n");
        b.append("```\n./vidqa train --recipe world --out DIR      # seed ").append(s.seed()).append("; resumable: run it again\n```\n\n");
        b.append("## Architecture\n\n");
        b.append("Hugging Face `InstructBlipVideoForConditionalGeneration` layout (`config.json`, `model.safetensors`,"
                + " word-level `tokenizer.json` and `qformer_tokenizer/`): ViT " + input + " px, patch "
                + vision.path("patch_size").asInt() + ", 128 wide × 4 layers;"
                + " Q-Former 128 wide × 2 layers, 8 query tokens per frame, cross-attention in every layer; T5 128 wide,"
                + " 3 encoder + 2 decoder layers, gated-GELU. One addition to the reference architecture, in the same layout:"
                + " `num_frame_positions` (config) and `frame_position_embeddings.weight` (" + s.frames() + " × 128), a"
                + " learned row added to each frame's soft-prompt tokens by where the frame lies in the window — the"
                + " Q-Former sees one frame at a time and T5 only relative positions, so without it the LM cannot tell"
                + " the first frame from the last (\"at the beginning\", \"which way\"). `vidqa.json` says the model"
                + " answers from ").append(s.frames()).append(" uniformly sampled frames (every command uses that unless"
                + " told otherwise).\n\n");
        b.append("## Data\n\n");
        b.append(String.format(Locale.ROOT, "`vidqa world`: %d training clips and %d held-out clips, 6 s each at 10 fps,"
                + " 160×120, H.264 in MP4 (compression artefacts included), decoded by the normal path. 1–5 objects"
                + " per clip (5 colours × 3 shapes × 2 sizes), still or moving left/right/up/down, present throughout or"
                + " only early or only late; questions of six types (colour, shape, counting at the beginning or end,"
                + " motion direction, presence, when) in four phrasings each.%n%n", s.trainClips(), s.heldOutClips()));
        b.append("Held out from training: the last phrasing of every type (e.g. \"the {shape} is which color?\") and"
                + " three colour-shape pairs (green triangle, blue circle, yellow square) that no training clip shows.\n\n");
        b.append("## Recipe\n\n| stage | trains | on | steps | time |\n|---|---|---|---|---|\n");
        row(b, "1 vision", "vision encoder + per-patch heads (thrown away)", "colour, shape, row and column of every"
                + " patch, and whether an object's centre lies in it, of " + s.frames() + " frames per clip of the first "
                + s.visionClips() + " training clips, and shape, row, column and centres on a copy of half"
                + " of them with the objects repainted in colours outside the world (a quarter of those in grey),"
                + " where colour says nothing about shape",
                s.visionSteps() + " × 64 frames, AdamW 1e-3", stageSeconds.get("stage1-vision"));
        row(b, "2 describe", "Q-Former, queries, projection + per-frame heads (thrown away)", "on the first " + s.describeClips()
                + " training clips, for each colour and shape: on screen or not, its 8×8 grid cell; the object count; and for the object the question names: on"
                + " screen or not, its colour, shape and cell — read from each frame's soft prompt, under a real"
                + " question; and on every token, which frame of the window it is from", s.describeSteps()
                + " × 32 clips, AdamW 1e-3", stageSeconds.get("stage2-qformer-pretraining"));
        row(b, "3 lm", "the T5 LM alone (vision encoder and Q-Former frozen)", "the questions of all " + s.trainClips()
                + " training clips under the instruction templates; for " + percent(WorldRecipe.LM_HIDE_RATE) + " of them the LM's copy of"
                + " the question has its colour and shape words taken out (the Q-Former still reads them), so the answer must come from"
                + " the soft prompt; for " + percent(WorldRecipe.LM_NOISE_RATE) + " (drawn apart) the words that several question"
                + " types share (\"the\", \"is\", \"which\") are dropped at even odds and up to two put in at random, and for "
                + percent(WorldRecipe.LM_SHUFFLE_RATE) + " (drawn apart) its words are in a random order"
                + " (never a held-out phrasing), so a new phrasing is read by the words that say what it asks",
                s.lmSteps() + " × 32, AdamW 5e-4", stageSeconds.get("stage3-lm"));
        row(b, "4 qformer", "Q-Former, queries, projection only (vision and LM frozen: the paper's instruction tuning)",
                "the same mix and templates", s.qformerSteps() + " × 32, AdamW 2e-4", stageSeconds.get("stage4-qformer"));
        b.append("\nIn every stage, a label about an object does not count against an attribute value that no training"
                + " object showed with the object's other attribute: a green circle's shape is learned against squares"
                + " only (no training clip has a green triangle), a triangle's colour against every colour but green,"
                + " and a frame with a green object is not a lesson that no triangle is there. Plain cross-entropy"
                + " turns each green circle into \"green is not a triangle\", which every stage learned (the model"
                + " trained that way answered 32 % of the questions about held-out pairs right).\n");
        double total = stageSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        b.append(String.format(Locale.ROOT, "%nTotal training time %.0f min on %s.%n%n", total / 60, machine));
        b.append("## Accuracy on the held-out split\n\n");
        b.append(String.format(Locale.ROOT, "`./vidqa eval --dataset jsonl --qa world/heldout/qa.jsonl --videos"
                + " world/heldout` (generation, the model's settings): **%.1f %%** overall on %d questions.%n%n",
                heldOut.accuracy(), heldOut.scored()));
        b.append("| question type | n | accuracy |\n|---|---|---|\n");
        heldOut.byType().forEach((t, v) -> b.append(String.format(Locale.ROOT, "| %s | %d | %.1f %% |%n", t, v.n(),
                v.accuracy())));
        b.append("\n| held out | n | accuracy |\n|---|---|---|\n");
        heldOut.byTag().forEach((t, v) -> b.append(String.format(Locale.ROOT, "| %s | %d | %.1f %% |%n", t, v.n(),
                v.accuracy())));
        b.append("\n## What it cannot do\n\n");
        for (String line : List.of(
                "It knows only its generated world: five colours, three shapes, two sizes, four directions, counts up to"
                        + " five, \"beginning\" and \"end\". Any other question gets an answer from that vocabulary.",
                "Words outside its vocabulary become `<unk>`; phrasings far from the four it knows are guesswork.",
                "It sees " + s.frames() + " frames at " + input + ": objects smaller than about 8 % of the frame height, fine"
                        + " texture and anything that happens between sampled frames are invisible to it.",
                "Occluded objects: an object hidden behind another in most sampled frames is often missed.",
                "Real video (people, cars, scenes) is outside its world: use a real InstructBLIP checkpoint for that.")) {
            b.append("- ").append(line).append('\n');
        }
        Files.writeString(model.resolve("README.md"), b.toString(), StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder b, String stage, String trains, String on, String steps, Double seconds) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", stage, trains, on, steps,
                seconds == null ? "?" : String.format(Locale.ROOT, "%.1f min", seconds / 60)));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }
}
