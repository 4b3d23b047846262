package dev.vidqa.topology.train.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.frames.world.QuestionType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The LM stage's rewrites of a question: words in a random order. */
class LmPretrainingTest {

    @Test
    void aShuffleKeepsEveryWordAndTheQuestionMarkAtTheEnd() {
        SplittableRandom rnd = new SplittableRandom(3);
        Set<String> orders = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String shuffled = LmPretraining.shuffleWords("what color is the square?", rnd);
            assertTrue(shuffled.endsWith("?") && !shuffled.substring(0, shuffled.length() - 1).contains("?"), shuffled);
            assertEquals(sorted("what color is the square"), sorted(shuffled.substring(0, shuffled.length() - 1)));
            orders.add(shuffled);
        }
        // 5 words: 120 orders; 200 draws of a uniform shuffle see most of them
        assertTrue(orders.size() > 80, orders.size() + " orders");
        String statement = LmPretraining.shuffleWords("at the end", new SplittableRandom(1));
        assertFalse(statement.contains("?"), "no question mark where there was none: " + statement);
        assertEquals(sorted("at the end"), sorted(statement));
        assertNotEquals(LmPretraining.shuffleWords("a b c d e f g h", new SplittableRandom(1)),
                LmPretraining.shuffleWords("a b c d e f g h", new SplittableRandom(2)));
    }

    /** A shuffled training question is never a held-out phrasing (the split would leak). */
    @Test
    void aShuffleIsNeverAHeldOutPhrasing() {
        assertTrue(LmPretraining.heldOutPhrasing("the red circle is visible when?"));
        assertTrue(LmPretraining.heldOutPhrasing("The square is which color?"));
        assertFalse(LmPretraining.heldOutPhrasing("when is the red circle visible?"));
        assertFalse(LmPretraining.heldOutPhrasing("the red circle is visible?"));
        // "when is the red circle visible?" has 720 orders, one of them held out: 10,000 draws hit it
        // with probability 1 - e^-14 unless it is drawn again
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            String shuffled = LmPretraining.shuffleWords("when is the red circle visible?", rnd);
            assertFalse(LmPretraining.heldOutPhrasing(shuffled), shuffled);
        }
        for (QuestionType t : QuestionType.values()) {
            for (String trained : t.trainedPhrasings()) {
                assertFalse(LmPretraining.heldOutPhrasing(trained.replace("{c}", "red").replace("{s}", "circle")
                        .replace("{t}", "end")), trained);
            }
        }
    }

    private static String sorted(String words) {
        String[] w = words.split("\\s+");
        Arrays.sort(w);
        return String.join(" ", w);
    }
}
