package dev.vidqa.answerer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.GoldenSet;
import dev.vidqa.qformer.testing.GoldenSets;
import dev.vidqa.qformer.testing.Tensors;
import dev.vidqa.qformer.weights.SafetensorsFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instruction tuning's loss and gradients against the reference's float64 autograd, on every
 * fixture set under {@code vidqa.golden.dir} that has {@code train_golden.safetensors}: the loss
 * (relative 1e-4), every trainable tensor's gradient (max |Δ| ≤ 2e-4 × the set's largest
 * |gradient|), no gradient for frozen weights, and the checkpoint file left untouched.
 */
class TrainingGoldenTest {
    static final double LOSS_REL_TOL = 1e-4;
    static final double GRAD_TOL_FRACTION = 2e-4;

    static Stream<GoldenSet> sets() {
        return GoldenSets.all().stream().filter(s -> Files.isRegularFile(s.dir().resolve("train_golden.json")));
    }

    /** The fixture's examples: its Q-Former and LM prompt ids and the fixed answers. */
    static List<EncodedExample> examples(GoldenSet set, SafetensorsFile train, NDManager m) throws IOException {
        List<EncodedExample> out = new ArrayList<>();
        JsonNode json = set.json();
        int videos = set.instructions().size();
        for (int b = 0; b < videos; b++) {
            long[] instruction = GoldenSet.longs(json.get("qformer_token_ids").get(b));
            long[] prompt;
            long[] answer;
            if (set.kind().equals("t5")) {
                prompt = GoldenSet.longs(json.get("prompt_token_ids").get(b));
                long[] labels = row(tensor(set, train, m, "labels"), b);
                answer = java.util.Arrays.stream(labels).filter(t -> t != InstructionLoss.IGNORE).toArray();
            } else {
                // the fixture's sequence is input_ids_b as it stands (video placeholders, <s>, prompt and
                // the 8 greedy tokens) followed by the answer; the soft prompt takes the placeholders' place
                long[] ids = set.tensor(m, "input_ids_" + b).get(0).toLongArray();
                int placeholders = set.numFrames() * json.get("num_query_tokens").asInt();
                prompt = java.util.Arrays.copyOfRange(ids, placeholders, ids.length);
                answer = row(tensor(set, train, m, "answer_ids_" + b), 0);
            }
            out.add(new EncodedExample(instruction, prompt, answer));
        }
        return out;
    }

    static NDArray tensor(GoldenSet set, SafetensorsFile file, NDManager m, String name) throws IOException {
        var info = file.tensors().get(name);
        assertNotNull(info, set.name() + "/train_golden.safetensors has no '" + name + "'");
        var bytes = file.map(info).buffer();
        var copy = java.nio.ByteBuffer.allocateDirect(bytes.remaining()).order(bytes.order()).put(bytes).flip();
        ai.djl.ndarray.types.DataType type = switch (info.dtype()) {
            case F32 -> ai.djl.ndarray.types.DataType.FLOAT32;
            case I64 -> ai.djl.ndarray.types.DataType.INT64;
            default -> throw new IllegalArgumentException(name + ": " + info.dtype());
        };
        return m.create(copy, new Shape(info.shape()), type);
    }

    static long[] row(NDArray a, int r) {
        return a.get(r).toLongArray();
    }

    static String sha256(Path f) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            d.update(in.readAllBytes());
        }
        return java.util.HexFormat.of().formatHex(d.digest());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void lossAndGradientsMatchTheReference(GoldenSet set) throws Exception {
        JsonNode meta = new ObjectMapper().readTree(set.dir().resolve("train_golden.json").toFile());
        SafetensorsFile train = SafetensorsFile.open(set.dir().resolve("train_golden.safetensors"));
        Path weightsFile = set.dir().resolve("model.safetensors");
        String before = sha256(weightsFile);
        double maxGrad = meta.get("max_abs_grad").asDouble();
        double tol = GRAD_TOL_FRACTION * maxGrad;
        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(set.dir(), DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            Parameters params = Parameters.select(model.weights().loadedArrays(), TrainableParts.QFORMER);
            assertEquals(meta.get("num_trainable_tensors").asInt(), params.list().size(), "trainable tensors");
            assertEquals(meta.get("num_trainable_parameters").asLong(), params.count(), "trainable parameters");
            List<EncodedExample> batch = examples(set, train, m);
            NDArray pixels = set.tensor(m, "pixel_values"); // (B,T,3,S,S)
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                InstructionLoss.Value v = new InstructionLoss(model).fromPixels(pixels, batch);
                loss = v.loss().getFloat();
                gc.backward(v.loss());
            }
            double expected = meta.get("loss").asDouble();
            assertEquals(expected, loss, LOSS_REL_TOL * Math.abs(expected), "loss");

            Set<String> trainable = new HashSet<>();
            Map<String, Double> deltas = new HashMap<>();
            for (Parameters.Param p : params.list()) {
                trainable.add(p.key());
                NDArray golden = tensor(set, train, m, "grad." + p.key());
                NDArray grad = p.value().getGradient();
                deltas.put(p.key(), Tensors.assertClose(set.name() + " grad." + p.key(), golden, grad, tol));
                grad.close();
            }
            // every golden gradient belongs to a trainable weight, and every frozen weight has none
            for (String name : train.tensors().keySet()) {
                if (name.startsWith("grad.")) {
                    assertTrue(trainable.contains(name.substring(5)), name + " is not trainable here");
                }
            }
            for (Map.Entry<String, NDArray> e : model.weights().loadedArrays().entrySet()) {
                if (!trainable.contains(e.getKey())) {
                    assertFalse(e.getValue().hasGradient(), e.getKey() + " is frozen but requires a gradient");
                }
            }
            double worst = deltas.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            org.slf4j.LoggerFactory.getLogger(TrainingGoldenTest.class).info(
                    "{}: loss {} vs {}, worst gradient |Δ| {} (tolerance {})", set.name(), loss, expected, worst, tol);
        }
        assertEquals(before, sha256(weightsFile), "the checkpoint file must never be written");
    }
}
