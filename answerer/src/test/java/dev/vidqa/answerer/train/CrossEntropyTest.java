package dev.vidqa.answerer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
    private static final float[] LOGITS = {2f, 1f, 0.5f, 0f, 3f, 1f}; // (1,2,3)

    /** Loss and gradient of the logits for these targets and exclusions. */
    private static float[][] run(long[][] excluded) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(LOGITS, new Shape(1, 2, 3));
            logits.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = CrossEntropy.mean(logits, new long[] {0, 1}, excluded).loss();
                gc.backward(loss);
                return new float[][] {{loss.getFloat()}, logits.getGradient().toFloatArray()};
            }
        }
    }

    @Test
    void aClassLeftOutOfAPositionsSoftmaxNeitherCountsNorLearnsThere() {
        float[][] plain = run(null);
        float[][] left = run(new long[][] {{2}, null});
        // by hand: position 0 over {2, 1} only, position 1 over all three
        double p0 = -(2 - Math.log(Math.exp(2) + Math.exp(1)));
        double p1 = -(3 - Math.log(Math.exp(0) + Math.exp(3) + Math.exp(1)));
        assertEquals((p0 + p1) / 2, left[0][0], 1e-5);
        double all0 = -(2 - Math.log(Math.exp(2) + Math.exp(1) + Math.exp(0.5)));
        assertEquals((all0 + p1) / 2, plain[0][0], 1e-5);
        assertEquals(0f, left[1][2], 0f, "the left-out class gets no gradient");
        assertTrue(plain[1][2] > 0.05, "without the exclusion it is pushed down: " + plain[1][2]);
        assertEquals(plain[1][5], left[1][5], 1e-7, "the other position is untouched");
        double q = Math.exp(2) / (Math.exp(2) + Math.exp(1));
        assertEquals((q - 1) / 2, left[1][0], 1e-5, "the target's gradient over the classes that remain");
    }

    @Test
    void noExclusionsIsThePlainLoss() {
        assertEquals(run(null)[0][0], run(new long[][] {{}, null})[0][0], 1e-7);
    }
}
