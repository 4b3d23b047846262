package dev.vidqa.answerer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.qformer.testing.RepoPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InstructionLossTest {
    static Stream<Path> models() {
        return Stream.of(RepoPaths.tinyT5(), RepoPaths.tinyLlama());
    }

    /** Leaving tokens out of the answer's first softmax lowers that example's loss and nothing else. */
    @ParameterizedTest
    @MethodSource("models")
    void wordsLeftOutOfTheFirstAnswerTokenLowerOnlyThatExamplesLoss(Path dir) {
        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(dir, DeviceChoice.CPU);
             NDManager m = NDManager.newBaseManager()) {
            int frames = 2;
            int tokens = 17;
            int dim = model.config().vision().hiddenSize();
            SplittableRandom rnd = new SplittableRandom(5);
            List<List<FrameFeatures>> videos = new ArrayList<>();
            for (int v = 0; v < 2; v++) {
                List<FrameFeatures> fs = new ArrayList<>();
                for (int f = 0; f < frames; f++) {
                    float[] data = new float[tokens * dim];
                    for (int j = 0; j < data.length; j++) {
                        data[j] = (float) (rnd.nextDouble() * 2 - 1);
                    }
                    fs.add(new FrameFeatures(data, tokens, dim));
                }
                videos.add(fs);
            }
            long eos = model.specialTokens().eos();
            long[] instruction = model.instructionIds("Question: what is it? Short answer:");
            long[] prompt = model.promptIds("Question: what is it? Short answer:", frames, 0);
            // the second example's answer is one token longer: LLaMA right-aligns, T5 left-aligns
            EncodedExample a = new EncodedExample(instruction, prompt, new long[] {10, 20, eos});
            EncodedExample b = new EncodedExample(instruction, prompt, new long[] {30, 40, 50, eos});
            EncodedExample bLeft = new EncodedExample(instruction, prompt, new long[] {30, 40, 50, eos},
                    new long[] {31, 32, 33});
            EncodedExample bNone = new EncodedExample(instruction, prompt, new long[] {30, 40, 50, eos},
                    new long[] {});
            // the second token's target left out of the first position's softmax: harmless there, ruinous
            // (a loss in the thousands) if the mask landed on the second position
            EncodedExample bSecond = new EncodedExample(instruction, prompt, new long[] {30, 40, 50, eos},
                    new long[] {40});
            InstructionLoss loss = new InstructionLoss(model);
            NDArray soft = model.vision().prompt(model.vision().stack(m, videos), List.of(instruction, instruction), frames);
            double plain = loss.fromSoftPrompt(soft, List.of(a, b)).loss().getFloat();
            double left = loss.fromSoftPrompt(soft, List.of(a, bLeft)).loss().getFloat();
            double none = loss.fromSoftPrompt(soft, List.of(a, bNone)).loss().getFloat();
            double second = loss.fromSoftPrompt(soft, List.of(a, bSecond)).loss().getFloat();
            assertTrue(second <= plain, "the mask is on the first answer position: " + plain + " -> " + second);
            assertTrue(left < plain - 1e-4, "three words fewer in the softmax: " + plain + " -> " + left);
            assertEquals(plain, none, 1e-6, "an empty list is the plain loss");
            assertThrows(IllegalArgumentException.class,
                    () -> new EncodedExample(instruction, prompt, new long[] {30, eos}, new long[] {30}),
                    "the answer itself cannot be left out");
        }
    }
}
