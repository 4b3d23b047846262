package dev.vidqa.answerer.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationTest {
    static final long EOS = 1;

    /** A 6-token vocabulary; the model always prefers {@code pref}, then the others by the table. */
    static float[] logits(float... v) {
        return v;
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeScoresOnce() {
        float[] row = {2f, -2f, 3f, -1f};
        Generation.penalise(row, 2.0, new long[] {0, 1}, new long[] {1, 1, 3});
        assertArrayEquals(new float[] {1f, -4f, 3f, -2f}, row);
        float[] same = {2f, -2f};
        Generation.penalise(same, 1.0, new long[] {0, 1}, new long[0]);
        assertArrayEquals(new float[] {2f, -2f}, same);
    }

    @Test
    void topKIsOrderedAndStableOnTies() {
        assertArrayEquals(new int[] {3, 1, 4}, Generation.topK(new float[] {0f, 5f, -1f, 7f, 5f}, 3));
        assertArrayEquals(new int[] {0, 1}, Generation.topK(new float[] {1f, 1f, 1f}, 2));
    }

    @Test
    void greedyStopsAtEosAfterTheMinimumNumberOfTokens() {
        // EOS is always the favourite; token 4 is second
        try (ScriptedSession s = new ScriptedSession(1, t -> logits(0f, 5f, 0f, 0f, 4f, 0f))) {
            StopRules stop = new StopRules(EOS, List.of(), List.of(), null);
            Sequence seq = Generation.generate(s, GenerationOptions.greedy(10).withMinNewTokens(3), stop,
                    List.of(new long[0])).get(0);
            assertArrayEquals(new long[] {4, 4, 4, 1}, seq.tokens());
            assertEquals(FinishReason.EOS, seq.finishReason());
        }
    }

    @Test
    void greedyEndsOnLengthAndOnExtraStopIds() {
        try (ScriptedSession s = new ScriptedSession(2, t -> t.length < 2 ? logits(0, 0, 3, 0, 0, 0) : logits(0, 0, 0, 0, 0, 9))) {
            StopRules stop = new StopRules(EOS, List.of(5L), List.of(), null);
            List<Sequence> out = Generation.generate(s, GenerationOptions.greedy(2), stop,
                    List.of(new long[0], new long[0]));
            assertArrayEquals(new long[] {2, 2}, out.get(0).tokens());
            assertEquals(FinishReason.LENGTH, out.get(0).finishReason());
        }
        try (ScriptedSession s = new ScriptedSession(1, t -> t.length < 2 ? logits(0, 0, 3, 0, 0, 0) : logits(0, 0, 0, 0, 0, 9))) {
            StopRules stop = new StopRules(EOS, List.of(5L), List.of(), null);
            Sequence seq = Generation.generate(s, GenerationOptions.greedy(8), stop, List.of(new long[0])).get(0);
            assertArrayEquals(new long[] {2, 2, 5}, seq.tokens());
            assertEquals(FinishReason.STOP_TOKEN, seq.finishReason());
        }
    }

    @Test
    void stopStringsEndGenerationAndCutTheText() {
        Map<Long, String> words = Map.of(2L, "red", 3L, "car", 4L, "\n", 5L, "again");
        long[] script = {2, 3, 4, 5, 5, 5};
        try (ScriptedSession s = new ScriptedSession(1, t -> {
            float[] l = new float[6];
            l[(int) script[Math.min(t.length, script.length - 1)]] = 5f;
            return l;
        })) {
            java.util.function.Function<long[], String> decode = ids -> {
                StringBuilder sb = new StringBuilder();
                for (long id : ids) {
                    sb.append(words.get(id).equals("\n") ? "\n" : " " + words.get(id));
                }
                return sb.toString();
            };
            StopRules stop = new StopRules(EOS, List.of(), List.of("\n"), decode);
            Sequence seq = Generation.generate(s, GenerationOptions.greedy(6), stop, List.of(new long[0])).get(0);
            assertArrayEquals(new long[] {2, 3, 4}, seq.tokens());
            assertEquals(FinishReason.STOP_STRING, seq.finishReason());
            assertEquals("red car", stop.cut(decode.apply(seq.tokens())));
        }
    }

    @Test
    void beamSearchFindsTheBetterTwoStepPathThatGreedyMisses() {
        // step 1: token 2 (p≈.6) vs 3 (p≈.4); after 2 everything is flat, after 3 EOS is near certain
        try (ScriptedSession greedy = new ScriptedSession(1, GenerationTest::twoPaths);
             ScriptedSession beams = new ScriptedSession(1, GenerationTest::twoPaths)) {
            StopRules stop = new StopRules(EOS, List.of(), List.of(), null);
            Sequence g = Generation.generate(greedy, GenerationOptions.greedy(2), stop, List.of(new long[0])).get(0);
            assertEquals(2, g.tokens()[0]);
            GenerationOptions o = new GenerationOptions(2, 2, 0, 1.0, 1.0, true, List.of(), List.of());
            Sequence b = Generation.generate(beams, o, stop, List.of(new long[0])).get(0);
            assertArrayEquals(new long[] {3, 1}, b.tokens());
            assertEquals(FinishReason.EOS, b.finishReason());
            // score = (log p(3) + log p(EOS|3)) / 2^1
            double expected = (Math.log(0.4) + Math.log(0.97)) / 2;
            assertEquals(expected, b.score(), 0.01);
        }
    }

    /** Log-probabilities as logits: softmax of logs gives back the probabilities. */
    static float[] twoPaths(long[] t) {
        if (t.length == 0) {
            return probs(0, 0.0005, 0.6, 0.3995, 0, 0);
        }
        if (t[0] == 2) {
            return probs(0.2, 0.2, 0.2, 0.2, 0.2, 0);
        }
        return probs(0.01, 0.97, 0.01, 0.01, 0, 0);
    }

    static float[] probs(double... p) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] == 0 ? -1e4f : (float) Math.log(p[i]);
        }
        return out;
    }

    @Test
    void lengthPenaltyMinusOneFavoursShortAnswers() {
        // EOS right away (p=.3) vs a 3-token answer with p≈.7 each step then EOS
        try (ScriptedSession s = new ScriptedSession(1, t -> t.length == 0 ? probs(0, 0.3, 0.7, 0, 0, 0)
                : t.length < 3 ? probs(0, 0.05, 0.95, 0, 0, 0) : probs(0, 0.99, 0.01, 0, 0, 0))) {
            StopRules stop = new StopRules(EOS, List.of(), List.of(), null);
            GenerationOptions shortFirst = new GenerationOptions(3, 6, 0, -1.0, 1.0, true, List.of(), List.of());
            assertArrayEquals(new long[] {1}, Generation.generate(s, shortFirst, stop, List.of(new long[0])).get(0).tokens());
        }
        try (ScriptedSession s = new ScriptedSession(1, t -> t.length == 0 ? probs(0, 0.3, 0.7, 0, 0, 0)
                : t.length < 3 ? probs(0, 0.05, 0.95, 0, 0, 0) : probs(0, 0.99, 0.01, 0, 0, 0))) {
            StopRules stop = new StopRules(EOS, List.of(), List.of(), null);
            // with early stopping, search ends once 3 hypotheses are finished: [1], [2,1], [2,2,1]
            GenerationOptions early = new GenerationOptions(3, 6, 0, 1.0, 1.0, true, List.of(), List.of());
            assertArrayEquals(new long[] {2, 2, 1}, Generation.generate(s, early, stop, List.of(new long[0])).get(0).tokens());
        }
        try (ScriptedSession s = new ScriptedSession(1, t -> t.length == 0 ? probs(0, 0.3, 0.7, 0, 0, 0)
                : t.length < 3 ? probs(0, 0.05, 0.95, 0, 0, 0) : probs(0, 0.99, 0.01, 0, 0, 0))) {
            // without it, the search goes on while a running beam could still win: [2,2,2,1] scores -0.118
            StopRules stop = new StopRules(EOS, List.of(), List.of(), null);
            GenerationOptions patient = new GenerationOptions(3, 6, 0, 1.0, 1.0, false, List.of(), List.of());
            Sequence best = Generation.generate(s, patient, stop, List.of(new long[0])).get(0);
            assertArrayEquals(new long[] {2, 2, 2, 1}, best.tokens());
            assertEquals((Math.log(0.7) + 2 * Math.log(0.95) + Math.log(0.99)) / 4, best.score(), 1e-3);
        }
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> GenerationOptions.greedy(0));
        assertThrows(IllegalArgumentException.class, () -> GenerationOptions.videoQa().withNumBeams(0));
        assertThrows(IllegalArgumentException.class, () -> GenerationOptions.videoQa().withMinNewTokens(11));
        assertThrows(IllegalArgumentException.class, () -> GenerationOptions.videoQa().withRepetitionPenalty(0));
        assertThrows(IllegalArgumentException.class, () -> GenerationOptions.videoQa().withStopStrings(List.of("")));
    }

    /** The original evaluation calls generate() without early_stopping: Hugging Face's default, False. */
    @org.junit.jupiter.api.Test
    void thePapersSettingsDoNotStopBeamSearchEarly() {
        org.junit.jupiter.api.Assertions.assertFalse(GenerationOptions.videoQa().earlyStopping());
        assertEquals(5, GenerationOptions.videoQa().numBeams());
    }
}
