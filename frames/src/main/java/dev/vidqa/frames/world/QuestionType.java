package dev.vidqa.frames.world;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The kinds of question the world asks, each with its phrasings. The last phrasing of each type
 * is held out: it is used only in the held-out split, so evaluation sees wordings never trained
 * on (built from words that training does use). {@code {c}} is a colour, {@code {s}} a shape,
 * {@code {t}} "beginning" or "end".
 */
public enum QuestionType {
    COLOR(List.of("what color is the {s}?", "which color does the {s} have?", "what is the color of the {s}?",
            "the {s} is which color?")),
    SHAPE(List.of("what shape is the {c} object?", "which shape does the {c} object have?",
            "what is the shape of the {c} object?", "the {c} object is which shape?")),
    COUNT(List.of("how many objects are there at the {t}?", "how many objects can you see at the {t}?",
            "what is the number of objects at the {t}?", "how many objects are in the video at the {t}?")),
    MOTION(List.of("which way does the {c} {s} move?", "in which direction does the {c} {s} move?",
            "where is the {c} {s} moving?", "the {c} {s} is moving in which direction?")),
    PRESENCE(List.of("is there a {c} {s}?", "does the video show a {c} {s}?", "can you see a {c} {s}?",
            "is a {c} {s} in the video?")),
    WHEN(List.of("when is the {c} {s} visible?", "when can you see the {c} {s}?", "when does the video show the {c} {s}?",
            "the {c} {s} is visible when?"));

    private final List<String> phrasings;

    QuestionType(List<String> phrasings) {
        this.phrasings = phrasings;
    }

    public List<String> phrasings() {
        return phrasings;
    }

    /** Phrasings training may use (all but the last). */
    public int trainPhrasings() {
        return phrasings.size() - 1;
    }

    public boolean heldOutPhrasing(int index) {
        return index == phrasings.size() - 1;
    }

    /** The phrasings only the held-out split uses. */
    public List<String> heldOutPhrasings() {
        return IntStream.range(0, phrasings.size()).filter(this::heldOutPhrasing).mapToObj(phrasings::get).toList();
    }

    /** The phrasings training uses. */
    public List<String> trainedPhrasings() {
        return IntStream.range(0, phrasings.size()).filter(i -> !heldOutPhrasing(i)).mapToObj(phrasings::get).toList();
    }

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static QuestionType parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
