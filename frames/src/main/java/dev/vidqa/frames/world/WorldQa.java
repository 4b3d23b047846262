package dev.vidqa.frames.world;

/**
 * A line of {@code qa.jsonl}, in the format {@code vidqa eval --dataset jsonl} and {@code vidqa
 * train} read ({@code type} doubles as the training task), with what makes it held out:
 * {@code phrasing} and {@code combo} are "seen" or "heldout".
 */
public record WorldQa(String id, String video, String question, String answer, QuestionType type, String task,
                      String phrasing, String combo) {
    public static final String SEEN = "seen";
    public static final String HELDOUT = "heldout";

    public WorldQa(String id, String video, String question, String answer, QuestionType type, boolean heldOutPhrasing,
                   boolean heldOutCombo) {
        this(id, video, question, answer, type, type.word(), heldOutPhrasing ? HELDOUT : SEEN,
                heldOutCombo ? HELDOUT : SEEN);
    }
}
