package dev.vidqa.topology.train.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.frames.world.QuestionType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The LM stage's rewrites of a question: words in a random order, function words dropped and added. */
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

    /** The function words are the ones several types share; the words that say what is asked are not among them. */
    @Test
    void functionWordsAreSharedWordsOnly() {
        assertTrue(LmPretraining.FUNCTION_WORDS.containsAll(List.of("the", "is", "which", "what", "does")),
                LmPretraining.FUNCTION_WORDS.toString());
        for (String asks : List.of("color", "shape", "many", "way", "direction", "visible", "when", "move")) {
            assertFalse(LmPretraining.FUNCTION_WORDS.contains(asks), asks);
        }
    }

    /** Varying keeps every word that says what is asked, adds only function words, and never reads as a held-out phrasing. */
    @Test
    void varyingKeepsWhatIsAskedAndTouchesFunctionWordsOnly() {
        SplittableRandom rnd = new SplittableRandom(3);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String varied = LmPretraining.varyFunctionWords("what color is the square?", rnd);
            assertTrue(varied.endsWith("?"), varied);
            List<String> words = List.of(varied.substring(0, varied.length() - 1).split(" "));
            assertTrue(words.contains("color") && words.contains("square"), varied);
            for (String w : words) {
                assertTrue(w.equals("color") || w.equals("square") || LmPretraining.FUNCTION_WORDS.contains(w), varied);
            }
            assertFalse(LmPretraining.heldOutPhrasing(varied), varied);
            seen.add(varied);
        }
        assertTrue(seen.size() > 30, "varied " + seen.size() + " ways");
        assertTrue(seen.stream().anyMatch(v -> !v.contains("what")), "a function word is sometimes dropped");
    }
}
