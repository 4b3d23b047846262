package dev.vidqa.answerer.train;

import java.util.List;
import java.util.Locale;

/** Which weights instruction tuning updates; everything else stays frozen and gets no gradient. */
public enum TrainableParts {
    /**
     * The paper's method: the Q-Former (every {@code qformer.*} tensor), the learned
     * {@code query_tokens} and the {@code language_projection}; vision encoder and LM frozen.
     */
    QFORMER(List.of("qformer.", "query_tokens", "language_projection.")),
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
        return this == QFORMER;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrainableParts parse(String s) {
        for (TrainableParts p : values()) {
            if (p.cliName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown --train '" + s + "' (qformer or all)");
    }
}
