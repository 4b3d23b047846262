package dev.vidqa.answerer.eval;

import java.util.List;

/** The accuracy of one prediction against its reference answers, after {@link VqaNormalizer}. */
public final class Accuracy {
    private Accuracy() {}

    /** Exact match with any reference: 1 or 0 (MSVD-QA, MSRVTT-QA). */
    public static double exactMatch(String prediction, List<String> references) {
        String p = VqaNormalizer.normalize(prediction);
        for (String r : references) {
            if (VqaNormalizer.normalize(r).equals(p)) {
                return 1.0;
            }
        }
        return 0.0;
    }

    /** iVQA: {@code min(1, matching references / 2)} over its (up to 5) reference answers. */
    public static double ivqa(String prediction, List<String> references) {
        String p = VqaNormalizer.normalize(prediction);
        long matches = references.stream().filter(r -> VqaNormalizer.normalize(r).equals(p)).count();
        return Math.min(1.0, matches / 2.0);
    }
}
