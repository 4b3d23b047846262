package dev.vidqa.answerer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.LmSession;
import dev.vidqa.answerer.generate.Generation;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.answerer.generate.Sequence;
import dev.vidqa.answerer.generate.StopRules;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.qformer.testing.GoldenSet;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.qformer.weights.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The trainer's arithmetic and behaviour: finite differences, overfitting, checkpoints, the schedule. */
class TrainerTest {

    static Stream<GoldenSet> sets() {
        return TrainingGoldenTest.sets();
    }

    /** The golden batch's loss on a model; grad mode as the caller left it. */
    static double loss(InstructBlipVideo model, List<EncodedExample> batch, NDArray pixels) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray px = pixels.toType(model.vision().dataType(), true);
            px.attach(m);
            return new InstructionLoss(model).fromPixels(px, batch).loss().toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /**
     * Central differences of the float64 loss against autograd's gradient, for a few elements of
     * the query tokens, the projection and Q-Former layers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void finiteDifferencesInFloat64MatchAutograd(GoldenSet set) throws Exception {
        SafetensorsFile train = SafetensorsFile.open(set.dir().resolve("train_golden.safetensors"));
        try (InstructBlipVideo model = InstructBlipVideo.loadInFloat64(set.dir());
             NDManager m = NDManager.newBaseManager()) {
            Parameters params = Parameters.select(model.weights().loadedArrays(), TrainableParts.QFORMER);
            List<EncodedExample> batch = TrainingGoldenTest.examples(set, train, m);
            NDArray pixels = set.tensor(m, "pixel_values");
            try (GradientCollector gc = Engine.getInstance().newGradientCollector(); NDManager g = NDManager.newBaseManager()) {
                NDArray px = pixels.toType(DataType.FLOAT64, true);
                px.attach(g);
                NDArray l = new InstructionLoss(model).fromPixels(px, batch).loss();
                assertEquals(DataType.FLOAT64, l.getDataType(), "the check must run in float64");
                gc.backward(l);
            }
            String[] keys = {"query_tokens", "language_projection.weight", "qformer.encoder.layer.0.crossattention.attention.key.weight",
                    "qformer.encoder.layer.1.output_query.dense.bias", "qformer.embeddings.layernorm.weight"};
            SplittableRandom rnd = new SplittableRandom(3);
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                for (String key : keys) {
                    NDArray w = model.weights().loadedArrays().get(key);
                    NDArray grad = w.getGradient();
                    for (int k = 0; k < 2; k++) {
                        long[] idx = new long[w.getShape().dimension()];
                        for (int d = 0; d < idx.length; d++) {
                            idx[d] = rnd.nextLong(w.getShape().get(d));
                        }
                        double v = w.getDouble(idx);
                        double h = 1e-6;
                        w.set(new ai.djl.ndarray.index.NDIndex(idx), v + h);
                        double plus = loss(model, batch, pixels);
                        w.set(new ai.djl.ndarray.index.NDIndex(idx), v - h);
                        double minus = loss(model, batch, pixels);
                        w.set(new ai.djl.ndarray.index.NDIndex(idx), v);
                        double fd = (plus - minus) / (2 * h);
                        double ag = grad.getDouble(idx);
                        assertEquals(ag, fd, 1e-5 * Math.max(1, Math.abs(ag)),
                                set.name() + " " + key + Arrays.toString(idx) + ": autograd " + ag + " vs finite difference " + fd);
                    }
                    grad.close();
                }
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        }
    }

    /**
     * Every tensor autograd saves must outlive the forward pass. DJL's scalar ops (mul(Number), ...)
     * wrap constants in Java buffers and free them at once; with a garbage collection and new
     * allocations between forward and backward, such a backward pass read garbage (NaN or 1e35).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void gradientsAreUnchangedWhenTheGarbageCollectorRunsBetweenForwardAndBackward(GoldenSet set) throws Exception {
        SafetensorsFile train = SafetensorsFile.open(set.dir().resolve("train_golden.safetensors"));
        double tol = TrainingGoldenTest.GRAD_TOL_FRACTION
                * new ObjectMapper().readTree(set.dir().resolve("train_golden.json").toFile()).get("max_abs_grad").asDouble();
        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(set.dir(), DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            Parameters params = Parameters.select(model.weights().loadedArrays(), TrainableParts.QFORMER);
            List<EncodedExample> batch = TrainingGoldenTest.examples(set, train, m);
            NDArray pixels = set.tensor(m, "pixel_values");
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new InstructionLoss(model).fromPixels(pixels, batch).loss();
                // freed Java buffers go back to the allocator; refill that memory with NaN bit patterns
                List<java.nio.ByteBuffer> litter = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    System.gc();
                    for (int i = 0; i < 20_000; i++) {
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(4 + (i % 4) * 4);
                        while (b.hasRemaining()) {
                            b.put((byte) 0xFF);
                        }
                        litter.add(b);
                    }
                }
                gc.backward(loss);
                assertTrue(litter.size() > 0);
            }
            for (Parameters.Param p : params.list()) {
                NDArray grad = p.value().getGradient();
                dev.vidqa.qformer.testing.Tensors.assertClose(set.name() + " grad." + p.key() + " after GC",
                        TrainingGoldenTest.tensor(set, train, m, "grad." + p.key()), grad, tol);
                grad.close();
            }
        }
    }

    /** Eight videos (random vision features), one answer each: the Q-Former alone must learn them all. */
    @Test
    void overfittingEightSamplesDrivesTheLossToZeroAndGreedyAnswersToTheLabels(@TempDir Path tmp) throws Exception {
        Path dir = RepoPaths.tinyT5();
        int frames = 2;
        List<List<FrameFeatures>> videos = new ArrayList<>();
        List<EncodedExample> examples = new ArrayList<>();
        List<Sequence> after;
        long[][] prompts = new long[8][];
        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(dir, DeviceChoice.CPU)) {
            int tokens = 17;
            int dim = model.config().vision().hiddenSize();
            SplittableRandom rnd = new SplittableRandom(11);
            long eos = model.specialTokens().eos();
            long[] instruction = model.instructionIds("Question: what is it? Short answer:");
            long[] prompt = model.promptIds("Question: what is it? Short answer:", frames, 0);
            for (int i = 0; i < 8; i++) {
                List<FrameFeatures> v = new ArrayList<>();
                for (int f = 0; f < frames; f++) {
                    float[] data = new float[tokens * dim];
                    for (int j = 0; j < data.length; j++) {
                        data[j] = (float) (rnd.nextDouble() * 2 - 1);
                    }
                    v.add(new FrameFeatures(data, tokens, dim));
                }
                videos.add(v);
                examples.add(new EncodedExample(instruction, prompt, new long[] {10 + 7L * i, 60 + i, eos}));
                prompts[i] = prompt;
            }
            Parameters params = Parameters.select(model.weights().loadedArrays(), TrainableParts.QFORMER);
            double first;
            double last;
            try (Trainer trainer = new Trainer(model, params, AdamW.paper(params, 0.0),
                    WarmupCosineSchedule.paper(3e-3, 10, 300), 1.0)) {
                TrainBatch batch = TrainBatch.ofFeatures(examples, videos);
                first = trainer.step(List.of(batch)).loss();
                Trainer.StepResult r = null;
                for (int s = 1; s < 300; s++) {
                    r = trainer.step(List.of(batch));
                }
                last = r.loss();
            }
            assertTrue(first > 5, "starts far from the labels: " + first);
            assertTrue(last < 0.05, "overfits 8 samples: loss " + first + " -> " + last);
            after = greedy(model, videos, examples);
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(examples.get(i).answer(), after.get(i).tokens(), "sample " + i + " answers its label");
            }
            CheckpointWriter writer = new CheckpointWriter(tmp, 2);
            Path saved = writer.write("checkpoint-300", model, null,
                    new ObjectMapper().createObjectNode().put("step", 300));
            assertEquals(saved, CheckpointWriter.latest(tmp));
            assertTrue(Files.isRegularFile(saved.resolve("qformer_tokenizer/tokenizer.json")), "tokenizers copied");
        }
        // the saved checkpoint loads as an ordinary model and answers identically
        try (InstructBlipVideo loaded = InstructBlipVideo.load(tmp.resolve("checkpoint-300"), DeviceChoice.CPU)) {
            List<Sequence> again = greedy(loaded, videos, examples);
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(after.get(i).tokens(), again.get(i).tokens(), "sample " + i + " after reload");
                assertEquals(after.get(i).score(), again.get(i).score(), 0.0, "identical scores after reload");
            }
            // every key of the original checkpoint is kept with its shape
            var original = SafetensorsFile.open(dir.resolve("model.safetensors")).tensors();
            var written = SafetensorsFile.open(tmp.resolve("checkpoint-300/model.safetensors")).tensors();
            assertEquals(original.keySet(), written.keySet());
            original.forEach((k, info) -> assertArrayEquals(info.shape(), written.get(k).shape(), k));
        }
    }

    static List<Sequence> greedy(InstructBlipVideo model, List<List<FrameFeatures>> videos, List<EncodedExample> ex) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray soft = model.vision().prompt(model.vision().stack(m, videos),
                    ex.stream().map(EncodedExample::instruction).toList(), videos.get(0).size());
            List<long[]> prompts = ex.stream().map(EncodedExample::prompt).toList();
            try (LmSession s = model.languageModel().start(m, soft, prompts)) {
                List<long[]> ctx = prompts.stream().map(p -> new long[] {0}).toList();
                return Generation.generate(s, GenerationOptions.greedy(5),
                        new StopRules(model.specialTokens().eos(), List.of(), List.of(), null), ctx);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    @Test
    void scheduleWarmsUpLinearlyFrom1e8ThenDecaysByCosineToZero() {
        WarmupCosineSchedule s = WarmupCosineSchedule.paper(1e-4, 1000, 3000);
        assertEquals(1e-8, s.at(0), 1e-15);
        assertEquals(1e-8 + (1e-4 - 1e-8) * 0.5, s.at(500), 1e-12);
        assertEquals(1e-4, s.at(1000), 1e-15);
        assertEquals(0.5e-4, s.at(2000), 1e-12); // half-way through the decay: cos(pi/2) = 0
        assertEquals(0.0, s.at(3000), 1e-15);
    }

    @Test
    void weightDecaySkipsBiasesAndNorms() throws Exception {
        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(RepoPaths.tinyT5(), DeviceChoice.CPU)) {
            Parameters p = Parameters.select(model.weights().loadedArrays(), TrainableParts.QFORMER);
            for (Parameters.Param q : p.list()) {
                boolean expected = !q.key().endsWith(".bias") && !q.key().contains("LayerNorm")
                        && !q.key().contains("layernorm");
                assertEquals(expected, q.decay(), q.key());
            }
        }
    }

}
