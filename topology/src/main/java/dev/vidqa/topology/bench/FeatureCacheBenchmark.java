package dev.vidqa.topology.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.config.T5Config;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.answerer.t5.T5ForConditionalGeneration;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.VideoQFormer;
import dev.vidqa.qformer.config.InstructBlipConfig;
import dev.vidqa.qformer.config.JsonFields;
import dev.vidqa.qformer.weights.RandomCheckpoint;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import dev.vidqa.topology.pipeline.QaEngine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The feature cache's effect on a model whose vision encoder dominates (ViT-B-sized random
 * weights, 224 px, with the tiny Q-Former and FlanT5 of the fixture): 10 questions over the same
 * clip vs 10 questions over 10 different clips, 4 frames each, through the streaming engine.
 */
public final class FeatureCacheBenchmark {
    private FeatureCacheBenchmark() {}

    /** Writes a random checkpoint: ViT-B vision, the fixture's tiny Q-Former (reading 768-wide features) and T5. */
    public static Path checkpoint(Path tinyFixture, Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) json.readTree(tinyFixture.resolve("config.json").toFile());
        ObjectNode vision = (ObjectNode) cfg.get("vision_config");
        vision.put("hidden_size", 768).put("intermediate_size", 3072).put("num_hidden_layers", 12)
                .put("num_attention_heads", 12).put("image_size", 224).put("patch_size", 14);
        ((ObjectNode) cfg.get("qformer_config")).put("encoder_hidden_size", 768);
        Files.createDirectories(dir.resolve("qformer_tokenizer"));
        Files.copy(tinyFixture.resolve("tokenizer.json"), dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(tinyFixture.resolve("qformer_tokenizer/tokenizer.json"), dir.resolve("qformer_tokenizer/tokenizer.json"),
                StandardCopyOption.REPLACE_EXISTING);
        String text = json.writeValueAsString(cfg);
        InstructBlipConfig c = InstructBlipConfig.parse(new JsonFields(cfg, "config.json"));
        RandomCheckpoint.write(dir, text, store -> {
            VideoQFormer.build(c, store, dir);
            new T5ForConditionalGeneration(store.scope("language_model"), T5Config.from(c.text()));
        }, 11);
        return dir;
    }

    public static void run(Path tinyFixture, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("vidqa-cache-bench");
        try {
            checkpoint(tinyFixture, dir);
            AnswerOptions o = AnswerOptions.defaults().withGeneration(GenerationOptions.videoQa());
            double same;
            double different;
            long encodedSame;
            long encodedDifferent;
            try (ModelQaEngine engine = new ModelQaEngine(InstructBlipVideo.load(dir, DeviceChoice.CPU), 1L << 30, 16,
                    Duration.ofMillis(5), null)) {
                // warm-up on frames no measurement uses
                engine.answer(frames("warm", 4, 99), "warm up?", null, o);
                long e0 = engine.encoder().encodedFrames();
                long t0 = System.nanoTime();
                List<QaEngine.FrameRef> clip = frames("same", 4, 1);
                for (int i = 0; i < 10; i++) {
                    engine.answer(clip, "question number " + i + "?", null, o);
                }
                same = (System.nanoTime() - t0) / 1e9;
                encodedSame = engine.encoder().encodedFrames() - e0;
                long e1 = engine.encoder().encodedFrames();
                long t1 = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    engine.answer(frames("clip" + i, 4, 100 + i), "question number " + i + "?", null, o);
                }
                different = (System.nanoTime() - t1) / 1e9;
                encodedDifferent = engine.encoder().encodedFrames() - e1;
            }
            out.printf("feature cache benchmark: ViT-B-sized random vision encoder (768 wide, 12 layers, 224 px) + tiny"
                    + " Q-Former and FlanT5, 4 frames per question, beam 5, CPU%n");
            out.printf("  10 questions over the same clip: %.2f s (%d frames encoded)%n", same, encodedSame);
            out.printf("  10 questions over 10 different clips: %.2f s (%d frames encoded)%n", different, encodedDifferent);
            out.printf("  ratio: %.2f%n", same / different);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** {@code n} random 224x224 frames under distinct keys. */
    static List<QaEngine.FrameRef> frames(String clip, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<QaEngine.FrameRef> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] rgb = new byte[224 * 224 * 3];
            for (int j = 0; j < rgb.length; j++) {
                rgb[j] = (byte) r.nextInt(256);
            }
            out.add(new QaEngine.FrameRef(clip + "/" + i, i, () -> rgb));
        }
        return out;
    }
}
