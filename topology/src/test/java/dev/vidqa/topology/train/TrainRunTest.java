package dev.vidqa.topology.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.SyntheticVideo;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.RepoPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vidqa train} end to end on real encoded clips: resume, skipped videos, refusals, the report. */
class TrainRunTest {
    @TempDir
    static Path data;

    @BeforeAll
    static void clips() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SyntheticVideo.write(data.resolve("clip" + i + ".mp4"), SyntheticVideo.Spec.h264Mp4(64, 48, 10, 12 + 4 * i, 5));
            lines.add("{\"video\": \"clip" + i + ".mp4\", \"question\": \"what is in clip " + i + "?\", \"answers\": [\"a\", \"b c\"]}");
        }
        Files.write(data.resolve("broken.mp4"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        lines.add("{\"video\": \"broken.mp4\", \"question\": \"what?\", \"answer\": \"x\"}");
        lines.add("{\"video\": \"gone.mp4\", \"question\": \"what?\", \"answer\": \"x\"}");
        Files.write(data.resolve("train.jsonl"), lines);
        Files.write(data.resolve("held.jsonl"), lines.subList(0, 2));
    }

    static TrainSettings settings(Path out, long steps, boolean resume) {
        return new TrainSettings(RepoPaths.tinyT5(), DeviceChoice.CPU, TrainableParts.QFORMER,
                List.of(data.resolve("train.jsonl").toString()), List.of(data.resolve("held.jsonl").toString()), null, out,
                steps, 4, 2, 1e-3, 2, 0.05, 1.0, 7, SamplingSpec.headtail(2), MixSampler.Mode.SQRT, Map.of(), null,
                3, 10, 3, 2, null, resume);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void resumingAfterAnInterruptionGivesTheSameWeightsAsAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Path broken = tmp.resolve("broken");
        TrainRun.Outcome a = new TrainRun(settings(straight, 6, false), quiet()).run();
        new TrainRun(settings(broken, 6, false), quiet()).stopAfter(3).run();
        assertTrue(Files.isDirectory(broken.resolve("checkpoint-3")));
        assertTrue(!Files.exists(broken.resolve("checkpoint-6")), "the interrupted run stopped at step 3");
        TrainRun.Outcome b = new TrainRun(settings(broken, 6, true), quiet()).run();
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint-6/model.safetensors")),
                Files.readAllBytes(broken.resolve("checkpoint-6/model.safetensors")), "weights after resume");
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint-6/optimizer.safetensors")),
                Files.readAllBytes(broken.resolve("checkpoint-6/optimizer.safetensors")), "optimiser state after resume");
        assertEquals(a.lastLoss(), b.lastLoss(), 0.0);
        // --train qformer: frozen weights are saved exactly as loaded, trained ones changed
        var original = dev.vidqa.qformer.weights.SafetensorsFile.open(RepoPaths.tinyT5().resolve("model.safetensors"));
        var trained = dev.vidqa.qformer.weights.SafetensorsFile.open(straight.resolve("checkpoint-6/model.safetensors"));
        for (var e : original.tensors().entrySet()) {
            byte[] before = new byte[(int) (e.getValue().end() - e.getValue().begin())];
            byte[] after = new byte[before.length];
            original.map(e.getValue()).buffer().get(before);
            trained.map(trained.tensors().get(e.getKey())).buffer().get(after);
            boolean trains = TrainableParts.QFORMER.trains(e.getKey());
            if (!trains) {
                assertArrayEquals(before, after, e.getKey() + " is frozen");
            } else if (e.getKey().equals("query_tokens")) {
                assertTrue(!java.util.Arrays.equals(before, after), "query_tokens trained");
            }
        }
        // the log of the resumed run has every step once
        List<JsonNode> log = TrainLog.read(broken);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), log.stream().filter(n -> n.has("loss"))
                .map(n -> n.get("step").asLong()).toList());
        assertTrue(log.stream().anyMatch(n -> n.has("eval_overall")), "held-out evaluation logged");
        // missing and undecodable videos are skipped, counted and listed, never fatal
        assertEquals(2, a.skippedVideos());
        String report = Files.readString(straight.resolve("report.html"));
        assertTrue(report.contains("broken.mp4") && report.contains("gone.mp4") && report.contains("<svg"), report);
        // the second run found every clip's features on disk
        assertTrue(Files.list(straight.resolve("features")).count() >= 3);
    }

    @Test
    void aConfigurationThatDoesNotMatchIsRefusedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        new TrainRun(settings(out, 2, false), quiet()).run();
        TrainSettings llama = new TrainSettings(RepoPaths.tinyLlama(), DeviceChoice.CPU, TrainableParts.QFORMER,
                List.of(data.resolve("train.jsonl").toString()), List.of(), null, out, 4, 4, 2, 1e-3, 2, 0.05, 1.0, 7,
                SamplingSpec.headtail(2), MixSampler.Mode.SQRT, Map.of(), null, 0, 10, 0, 2, null, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainRun(llama, quiet()).run());
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainSettings(RepoPaths.tinyT5(), DeviceChoice.CPU,
                TrainableParts.QFORMER, List.of("x.jsonl"), List.of(), null, out, 4, 6, 4, 1e-3, 2, 0.05, 1.0, 7,
                SamplingSpec.headtail(2), MixSampler.Mode.SQRT, Map.of(), null, 0, 10, 0, 2, null, false),
                "a batch that is not a multiple of the micro-batch");
    }

    /** A tiny model from nothing: init-model writes it, --train all trains every weight, answer loads the result. */
    @Test
    void aNewModelFromAConfigAndAVocabularyTrainsWhole(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("new");
        List<String> words = List.of("what", "is", "in", "clip", "0", "1", "2", "?", "a", "b", "c");
        dev.vidqa.answerer.init.ModelInit.write(RepoPaths.tinyT5().resolve("config.json"), words, model, 5);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "qformer_tokenizer/tokenizer.json")) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f);
        }
        try (var m = dev.vidqa.answerer.InstructBlipVideo.load(model, DeviceChoice.CPU)) {
            // word-level: every word is one token, the T5 tokenizer appends </s>
            long[] ids = m.tokenizer().encode("what is in clip 1 ?");
            assertEquals(7, ids.length, java.util.Arrays.toString(ids));
            assertEquals(m.specialTokens().eos(), ids[6]);
            assertEquals("what is in clip 1?", m.tokenizer().decode(ids), "decoding joins words and cleans up punctuation");
            long[] q = m.instructionIds("what is in clip 1 ?");
            assertEquals(8, q.length, "[CLS] + 6 words + [SEP]");
        }
        TrainSettings all = new TrainSettings(model, DeviceChoice.CPU, TrainableParts.ALL,
                List.of(data.resolve("train.jsonl").toString()), List.of(), null, tmp.resolve("run"), 25, 4, 4, 3e-3, 2,
                0.0, 1.0, 3, SamplingSpec.headtail(2), MixSampler.Mode.SQRT, Map.of(), null, 0, 10, 0, 1, null, false);
        List<Double> losses = new ArrayList<>();
        new TrainRun(all, quiet()).run();
        for (JsonNode n : TrainLog.read(tmp.resolve("run"))) {
            losses.add(n.get("loss").asDouble());
        }
        assertTrue(losses.get(losses.size() - 1) < losses.get(0) / 3, "every weight learns: " + losses);
        // vision and language weights moved too (they are frozen under --train qformer)
        var before = dev.vidqa.qformer.weights.SafetensorsFile.open(model.resolve("model.safetensors"));
        var after = dev.vidqa.qformer.weights.SafetensorsFile.open(tmp.resolve("run/checkpoint-25/model.safetensors"));
        for (String key : List.of("vision_model.embeddings.patch_embedding.weight", "language_model.shared.weight",
                "qformer.encoder.layer.0.attention.attention.query.weight")) {
            byte[] b = new byte[(int) (before.tensors().get(key).end() - before.tensors().get(key).begin())];
            byte[] a = new byte[b.length];
            before.map(before.tensors().get(key)).buffer().get(b);
            after.map(after.tensors().get(key)).buffer().get(a);
            assertTrue(!java.util.Arrays.equals(a, b), key + " changed");
        }
        try (var m = dev.vidqa.answerer.InstructBlipVideo.load(tmp.resolve("run/checkpoint-25"), DeviceChoice.CPU)) {
            assertEquals(model.getFileName().toString(), "new");
            assertTrue(m.config().textModelType().equals("t5"));
        }
    }

    @Test
    void sqrtMixingDrawsDatasetsInProportionToTheRootOfTheirSize() {
        MixSampler m = new MixSampler(List.of("a", "b", "c"), List.of(100, 400, 1600), MixSampler.Mode.SQRT, Map.of());
        double[] expected = {1 / 7.0, 2 / 7.0, 4 / 7.0};
        int n = 70_000;
        int[] counts = new int[3];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            counts[m.next(rnd)]++;
        }
        for (int i = 0; i < 3; i++) {
            double sigma = Math.sqrt(n * expected[i] * (1 - expected[i]));
            assertEquals(n * expected[i], counts[i], 4 * sigma, "dataset " + i + ": " + counts[i]);
        }
        MixSampler prop = new MixSampler(List.of("a", "b"), List.of(100, 300), MixSampler.Mode.PROPORTIONAL, Map.of());
        assertEquals(0.25, prop.probability(0), 1e-12);
        MixSampler uni = new MixSampler(List.of("a", "b"), List.of(100, 300), MixSampler.Mode.UNIFORM, Map.of("b", 3.0));
        assertEquals(0.25, uni.probability(0), 1e-12, "an override replaces the computed weight");
        assertThrows(IllegalArgumentException.class,
                () -> new MixSampler(List.of("a"), List.of(1), MixSampler.Mode.SQRT, Map.of("zzz", 1.0)));
    }

    @Test
    void theDefaultTemplatesAreThePapersAndEachHasTheQuestion() {
        InstructionTemplates t = InstructionTemplates.defaults();
        assertEquals(10, t.forTask("videoqa").size());
        assertTrue(t.forTask("videoqa").contains("Question: {} Short answer:"));
        assertTrue(t.forTask("videoqa").contains("Given the video, answer the following question with no more than three words. {}"));
        assertEquals("Q: is it red? A:", InstructionTemplates.apply("Q: {} A:", " is it red? "));
    }
}
