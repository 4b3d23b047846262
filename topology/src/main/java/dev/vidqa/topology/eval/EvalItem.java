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
 * @param declaredType the dataset's own question type (JSONL {@code type}), or null: by first word
 * @param tags other labels the dataset gives a question (JSONL {@code phrasing}, {@code combo}), reported apart
 */
public record EvalItem(String id, String videoKey, Path video, String question, List<String> answers,
                       List<String> candidates, String declaredType, java.util.Map<String, String> tags) {

    public EvalItem {
        tags = tags == null ? java.util.Map.of() : java.util.Map.copyOf(tags);
    }

    public EvalItem(String id, String videoKey, Path video, String question, List<String> answers,
                    List<String> candidates) {
        this(id, videoKey, video, question, answers, candidates, null, null);
    }

    public static final List<String> TYPES = List.of("what", "who", "how", "when", "where", "other");

    /** The declared type, else what / who / how / when / where by the question's first word, else other. */
    public String type() {
        if (declaredType != null) {
            return declaredType;
        }
        String first = question.strip().toLowerCase(Locale.ROOT).split("\\s+", 2)[0].replaceAll("[^a-z]", "");
        return TYPES.contains(first) && !first.equals("other") ? first : "other";
    }
}
