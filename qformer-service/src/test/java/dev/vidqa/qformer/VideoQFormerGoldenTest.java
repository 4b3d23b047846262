package dev.vidqa.qformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.qformer.testing.GoldenSet;
import dev.vidqa.qformer.testing.GoldenSets;
import dev.vidqa.qformer.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity of the vision side with the reference implementation, on every fixture set under
 * {@code vidqa.golden.dir}: from the golden pixels and our own tokenisation of the instructions,
 * every intermediate matches within 1e-4.
 */
class VideoQFormerGoldenTest {
    static final double TOL = 1e-4;

    static List<GoldenSet> sets() {
        return GoldenSets.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void qformerTokenIdsMatch(GoldenSet set) {
        try (QFormerTokenizer tok = QFormerTokenizer.load(set.dir())) {
            long[][] expected = GoldenSet.longRows(set.json().get("qformer_token_ids"));
            List<String> instructions = set.instructions();
            for (int i = 0; i < instructions.size(); i++) {
                assertArrayEquals(expected[i], tok.encode(instructions.get(i)),
                        set + ": Q-Former ids of \"" + instructions.get(i) + "\"");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void visionQFormerProjectionAndPromptMatch(GoldenSet set) {
        try (VideoQFormer model = VideoQFormer.load(set.dir(), DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager(model.device())) {
            NDArray pixels = set.tensor(m, "pixel_values"); // (B,T,3,H,W)
            Shape s = pixels.getShape();
            int frames = (int) s.get(1);
            NDArray features = model.encodeFrames(pixels.reshape(s.get(0) * frames, s.get(2), s.get(3), s.get(4)));
            Tensors.assertClose(set + " vision_last_hidden_state", set.tensor(m, "vision_last_hidden_state"), features, TOL);

            List<long[]> ids = new ArrayList<>();
            for (String instruction : set.instructions()) {
                ids.add(model.tokenizer().encode(instruction));
            }
            AtomicReference<VideoQFormer.QueryOutputs> outputs = new AtomicReference<>();
            NDArray prompt = model.prompt(features, ids, frames, outputs::set);
            Tensors.assertClose(set + " qformer_last_hidden_state", set.tensor(m, "qformer_last_hidden_state"),
                    outputs.get().lastHiddenState(), TOL);
            Tensors.assertClose(set + " language_projection", set.tensor(m, "language_projection"),
                    outputs.get().projected(), TOL);
            Tensors.assertClose(set + " llm_prefix_embeds", set.tensor(m, "llm_prefix_embeds"), prompt, TOL);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void goldenQFormerInputsGiveTheSameHiddenState(GoldenSet set) {
        // The reference's own padded ids and mask, repeated per frame, through queryFrames directly.
        try (VideoQFormer model = VideoQFormer.load(set.dir(), DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager(model.device())) {
            int frames = set.numFrames();
            NDArray features = set.tensor(m, "vision_last_hidden_state");
            NDArray ids = set.tensor(m, "qformer_input_ids").repeat(0, frames);
            NDArray mask = set.tensor(m, "qformer_attention_mask").repeat(0, frames);
            VideoQFormer.QueryOutputs out = model.queryFrames(features, ids, mask);
            Tensors.assertClose(set + " qformer_last_hidden_state (golden ids)",
                    set.tensor(m, "qformer_last_hidden_state"), out.lastHiddenState(), TOL);
        }
    }
}
