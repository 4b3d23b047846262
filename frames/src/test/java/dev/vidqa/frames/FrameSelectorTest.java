package dev.vidqa.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrameSelectorTest {
    static double[] timeline(int n, double fps) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i / fps;
        }
        return t;
    }

    @Test
    void uniformIsFloorOfIByNTimesTotal() {
        assertArrayEquals(new int[] {0, 47, 95, 142}, FrameSelector.select(SamplingSpec.uniform(4), timeline(190, 25)));
        assertArrayEquals(new int[] {0, 0, 1, 2}, FrameSelector.select(SamplingSpec.uniform(4), timeline(3, 25)));
    }

    @Test
    void headtailTakesFirstEvenlySpacedMiddleAndLast() {
        assertArrayEquals(new int[] {0, 63, 126, 189}, FrameSelector.select(SamplingSpec.headtail(4), timeline(190, 25)));
        assertArrayEquals(new int[] {0, 5, 9}, FrameSelector.select(SamplingSpec.headtail(3), timeline(10, 25)));
        // fewer frames than asked: all of them, then the last repeated
        assertArrayEquals(new int[] {0, 1, 2, 2, 2}, FrameSelector.select(SamplingSpec.headtail(5), timeline(3, 25)));
        assertArrayEquals(new int[] {0}, FrameSelector.select(SamplingSpec.headtail(1), timeline(7, 25)));
    }

    @Test
    void fpsTakesTheFrameNearestToEveryTick() {
        // 25 fps, 2 per second: 0, 0.5, 1.0, 1.5 s -> frames 0, 12 (0.5 s is halfway: the earlier wins), 25, 37
        assertArrayEquals(new int[] {0, 12, 25, 37}, FrameSelector.select(SamplingSpec.fps(2, 0), timeline(40, 25)));
        // a cap keeps an even spread
        assertArrayEquals(new int[] {0, 25}, FrameSelector.select(SamplingSpec.fps(2, 2), timeline(40, 25)));
        // variable frame rate: nearest in time, not in index
        double[] vfr = {0, 0.1, 0.9, 1.05, 2.2};
        assertArrayEquals(new int[] {0, 3, 4}, FrameSelector.select(SamplingSpec.fps(1, 0), vfr));
    }

    @Test
    void emptyTimelineSelectsNothingAndSpecsAreValidated() {
        assertArrayEquals(new int[0], FrameSelector.select(SamplingSpec.uniform(4), new double[0]));
        assertThrows(IllegalArgumentException.class, () -> SamplingSpec.uniform(0));
        assertThrows(IllegalArgumentException.class, () -> SamplingSpec.fps(0, 4));
        assertThrows(IllegalArgumentException.class, () -> Sampling.parse("random"));
    }
}
