package dev.vidqa.answerer.train;

import java.util.List;
import java.util.Locale;

/** Which weights instruction tuning updates; everything else stays frozen and gets no gradient. */
public enum TrainableParts {
    /**
     * The paper's method: the Q-Former (every {@code qformer.*} tensor), the learned
     * {@code query_tokens} and the {@code language_projection} (and vidqa's frame-position table,
     * where a checkpoint has one); vision encoder and LM frozen.
     */
    QFORMER(List.of("qformer.", "query_tokens", "language_projection.", "frame_position_embeddings.")),
    /**
     * The Q-Former with the language model (vision encoder frozen): how a recipe that builds its own
     * LM teaches it the answer language before the LM is frozen.
     */
    QFORMER_LM(List.of("qformer.", "query_tokens", "language_projection.", "frame_position_embeddings.",
            "language_model.")),
    /**
     * The language model alone (vision encoder and Q-Former frozen): how a recipe teaches a new LM to
     * read a Q-Former that already describes the frames.
     */
    LM(List.of("language_model.")),
    /** The vision encoder alone (pretraining on dense per-frame targets). */
    VISION(List.of("vision_model.")),
    /** Every weight: a whole (tiny) model trained from scratch. */
    ALL(List.of(""));

    private final List<String> prefixes;

    TrainableParts(List<String> prefixes) {
        this.prefixes = prefixes;
    }

    public boolean trains(String key) {
        return prefixes.stream().anyMatch(key::startsWith);
    }

    /** Whether the frozen vision encoder's output can be computed once and stored. */
    public boolean visionFrozen() {
        return this == QFORMER || this == QFORMER_LM || this == LM;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '+');
    }

    public static TrainableParts parse(String s) {
        for (TrainableParts p : values()) {
            if (p.cliName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown --train '" + s + "' (qformer, qformer+lm, lm, vision or all)");
    }
}
