package dev.vidqa.answerer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.qformer.vision.VisionModel;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeadTrainerTest {

    /**
     * Frames whose patches are bright or dark at random: the heads (and the encoder under them) must
     * learn to say which, per patch, and where each patch is; only the vision weights may change.
     */
    @Test
    void theEncoderLearnsPerPatchTargetsAndNothingElseMoves() {
        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(RepoPaths.tinyT5(), DeviceChoice.CPU)) {
            int size = model.imageSize();
            int patch = model.vision().config().vision().patchSize();
            int grid = size / patch;
            Map<String, NDArray> weights = model.weights().loadedArrays();
            float[] qformerBefore = weights.get("qformer.embeddings.layernorm.weight").toFloatArray();
            String visionKey = "vision_model.encoder.layers.0.mlp.fc1.weight";
            float[] visionBefore = weights.get(visionKey).toFloatArray();
            Parameters vision = Parameters.select(weights, TrainableParts.VISION);
            VisionModel encoder = model.vision().visionModel();
            try (LinearHeads heads = new LinearHeads("patch_heads", encoder.config().hiddenSize(), new int[] {2, grid, grid},
                    new double[] {1, 0.5, 0.5}, 3)) {
                Parameters params = vision.plus(heads.parameters());
                AdamW adamw = AdamW.paper(params, 0.0);
                WarmupCosineSchedule schedule = WarmupCosineSchedule.paper(3e-3, 10, 300);
                double first = 0;
                HeadTrainer.StepResult last = null;
                try (HeadTrainer trainer = new HeadTrainer(params, adamw, schedule, 1.0)) {
                    for (int step = 0; step < 300; step++) {
                        int n = 8;
                        SplittableRandom rnd = new SplittableRandom(step);
                        float[] pixels = new float[n * 3 * size * size];
                        int[][] targets = new int[3][n * grid * grid];
                        for (int b = 0; b < n; b++) {
                            for (int k = 0; k < grid * grid; k++) {
                                int bright = rnd.nextInt(2);
                                targets[0][b * grid * grid + k] = bright;
                                targets[1][b * grid * grid + k] = k / grid;
                                targets[2][b * grid * grid + k] = k % grid;
                                for (int c = 0; c < 3; c++) {
                                    for (int y = 0; y < patch; y++) {
                                        for (int x = 0; x < patch; x++) {
                                            int py = (k / grid) * patch + y;
                                            int px = (k % grid) * patch + x;
                                            pixels[((b * 3 + c) * size + py) * size + px] =
                                                    (bright == 1 ? 1.0f : -1.0f) + (float) (0.3 * rnd.nextGaussian());
                                        }
                                    }
                                }
                            }
                        }
                        last = trainer.step(m -> heads.loss(encoder.forward(m.create(pixels, new Shape(n, 3, size, size)))
                                .get(new NDIndex(":, 1:, :")), targets));
                        if (step == 0) {
                            first = last.loss();
                        }
                    }
                }
                assertTrue(last.loss() < first / 3, "loss " + first + " -> " + last.loss() + " accuracy " + java.util.Arrays.toString(last.accuracy()));
                assertTrue(last.accuracy()[0] > 0.95, "bright/dark accuracy " + last.accuracy()[0]);
                assertTrue(last.accuracy()[1] > 0.6 && last.accuracy()[2] > 0.6,
                        "row/column accuracy (chance 0.25) " + last.accuracy()[1] + " " + last.accuracy()[2]);
            }
            assertEquals(qformerBefore[0], weights.get("qformer.embeddings.layernorm.weight").toFloatArray()[0]);
            assertNotEquals(visionBefore[0], weights.get(visionKey).toFloatArray()[0], "the encoder itself learned");
        }
    }
}
