package dev.vidqa.answerer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases of the standard VQA evaluation's normalisation (its number, article, punctuation and contraction rules). */
class VqaNormalizerTest {

    @Test
    void numberWordsBecomeDigits() {
        assertEquals("2", VqaNormalizer.normalize("Two"));
        assertEquals("0", VqaNormalizer.normalize("none"));
        assertEquals("10 dogs", VqaNormalizer.normalize("ten dogs"));
        assertEquals("eleven", VqaNormalizer.normalize("eleven"), "only zero to ten are mapped");
    }

    @Test
    void articlesAreDropped() {
        assertEquals("dog", VqaNormalizer.normalize("a dog"));
        assertEquals("man on horse", VqaNormalizer.normalize("The man on the horse"));
        assertEquals("apple", VqaNormalizer.normalize("an apple"));
    }

    @Test
    void punctuationIsRemovedOrSpaced() {
        assertEquals("yes", VqaNormalizer.normalize("yes."));
        assertEquals("3.5", VqaNormalizer.normalize("3.5"), "a period before a digit stays");
        assertEquals("1000 people", VqaNormalizer.normalize("1,000 people"), "digit commas remove punctuation");
        assertEquals("left hand side", VqaNormalizer.normalize("left-hand side"), "a hyphen inside a word becomes a space");
        assertEquals("right side", VqaNormalizer.normalize("right - side"), "a spaced hyphen is removed");
        assertEquals("what", VqaNormalizer.normalize("what?!"));
        assertEquals("yes", VqaNormalizer.normalize(" \"yes\" \n"));
    }

    @Test
    void contractionsAreRestored() {
        assertEquals("don't know", VqaNormalizer.normalize("dont know"));
        assertEquals("isn't", VqaNormalizer.normalize("isnt"));
        assertEquals("it's", VqaNormalizer.normalize("it's"), "already contracted forms are kept");
        assertEquals("o'clock", VqaNormalizer.normalize("oclock"));
    }

    @Test
    void questionsArePreprocessedLikeTheOriginalEvaluation() {
        assertEquals("what is the man doing?", VqaNormalizer.question("What is the man doing?"));
        assertEquals("who is speaking on phone", VqaNormalizer.question("Who is \"speaking\" (on phone)."));
        assertEquals("what is it", VqaNormalizer.question("What: is it!"));
    }

    @Test
    void accuracyOfHandMadePredictions() {
        // exact match after normalisation
        List<String[]> cases = List.of(
                new String[] {"Two", "2"}, new String[] {"a dog", "dog"}, new String[] {"cooking.", "cooking"},
                new String[] {"dancing", "singing"}, new String[] {"the man", "woman"});
        double sum = 0;
        for (String[] c : cases) {
            sum += Accuracy.exactMatch(c[0], List.of(c[1]));
        }
        assertEquals(3.0, sum, "3 of 5 match");
        // iVQA: one matching reference is half a point, two or more a whole one
        assertEquals(0.5, Accuracy.ivqa("dog", List.of("dog", "cat", "puppy", "animal", "pet")));
        assertEquals(1.0, Accuracy.ivqa("a dog", List.of("dog", "dog.", "puppy", "animal", "pet")));
        assertEquals(1.0, Accuracy.ivqa("dog", List.of("dog", "dog", "dog", "dog", "dog")));
        assertEquals(0.0, Accuracy.ivqa("horse", List.of("dog", "cat")));
    }
}
