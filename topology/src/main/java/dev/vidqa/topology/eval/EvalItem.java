package dev.vidqa.topology.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One question of a dataset.
 *
 * @param videoKey the dataset's name for the video (id or file name)
 * @param video the file it maps to under {@code --videos}, or null when missing
 * @param candidates answers to rank instead of generating (null: generate)
 */
public record EvalItem(String id, String videoKey, Path video, String question, List<String> answers,
                       List<String> candidates) {

    public static final List<String> TYPES = List.of("what", "who", "how", "when", "where", "other");

    /** what / who / how / when / where by the question's first word, else other. */
    public String type() {
        String first = question.strip().toLowerCase(Locale.ROOT).split("\\s+", 2)[0].replaceAll("[^a-z]", "");
        return TYPES.contains(first) && !first.equals("other") ? first : "other";
    }
}
