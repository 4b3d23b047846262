package dev.vidqa.topology.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.init.ModelInit;
import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.qformer.testing.RepoPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code num_frame_positions}: each frame's soft-prompt tokens get the table row of where the frame
 * lies in the window — first frame row 0, last frame the last row — and nothing else changes.
 */
class FramePositionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachFramesTokensGetTheRowOfItsPlaceInTheWindow(@TempDir Path tmp) throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(RepoPaths.tinyT5().resolve("config.json").toFile());
        config.put("num_frame_positions", 4);
        Path configFile = tmp.resolve("config.json");
        JSON.writeValue(configFile.toFile(), config);
        Path dir = tmp.resolve("model");
        ModelInit.write(configFile, List.of("what", "is", "it", "?"), dir, 3);
        try (InstructBlipVideo model = InstructBlipVideo.load(dir, DeviceChoice.CPU)) {
            int d = model.config().lmHiddenSize();
            int nq = model.config().numQueryTokens();
            float[][] table = rows(model.weights().loadedArrays().get("frame_position_embeddings.weight"), 4, d);
            int s = model.imageSize();
            float[] pixels = new float[3 * s * s];
            java.util.Arrays.fill(pixels, 0.25f);
            FrameFeatures frame = model.vision().encode(new float[][] {pixels})[0];
            long[] instruction = model.instructionIds("what is it?");
            // the same frame four times, then twice: blocks differ exactly by their rows
            float[][] four = blocks(model, frame, 4, instruction, nq, d);
            assertBlockDifference(four, table, new int[] {0, 1, 2, 3}, nq, d);
            float[][] two = blocks(model, frame, 2, instruction, nq, d);
            assertBlockDifference(two, table, new int[] {0, 3}, nq, d); // first and last, whatever the count
            float[][] seven = blocks(model, frame, 7, instruction, nq, d);
            assertBlockDifference(seven, table, new int[] {0, 1, 1, 2, 2, 3, 3}, nq, d); // round(t * 3 / 6)
            assertFalse(java.util.Arrays.equals(four[0], four[3]), "first and last frame read differently");
        }
        assertTrue(TrainableParts.QFORMER.trains("frame_position_embeddings.weight"), "the paper's tuning updates the table");
        assertFalse(TrainableParts.LM.trains("frame_position_embeddings.weight"));
    }

    /** Each block (frame) of the soft prompt, flattened: [frame][nq*d]. */
    private static float[][] blocks(InstructBlipVideo model, FrameFeatures frame, int frames, long[] instruction, int nq,
                                    int d) {
        try (NDManager m = NDManager.newBaseManager()) {
            List<List<FrameFeatures>> videos = List.of(new ArrayList<>(Collections.nCopies(frames, frame)));
            NDArray soft = model.vision().prompt(model.vision().stack(m, videos), List.of(instruction), frames);
            assertEquals(frames * nq, soft.getShape().get(1));
            float[] all = soft.toFloatArray();
            float[][] out = new float[frames][nq * d];
            for (int t = 0; t < frames; t++) {
                System.arraycopy(all, t * nq * d, out[t], 0, nq * d);
            }
            return out;
        }
    }

    private static void assertBlockDifference(float[][] blocks, float[][] table, int[] rows, int nq, int d) {
        for (int t = 1; t < blocks.length; t++) {
            float[] expected = new float[nq * d];
            float[] actual = new float[nq * d];
            for (int i = 0; i < nq * d; i++) {
                expected[i] = table[rows[t]][i % d] - table[rows[0]][i % d];
                actual[i] = blocks[t][i] - blocks[0][i];
            }
            assertArrayEquals(expected, actual, 1e-5f, "frame " + t + " of " + blocks.length);
        }
    }

    private static float[][] rows(NDArray weight, int n, int d) {
        assertEquals(n, weight.getShape().get(0));
        float[] all = weight.toFloatArray();
        float[][] out = new float[n][d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(all, r * d, out[r], 0, d);
        }
        return out;
    }
}
