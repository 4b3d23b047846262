package dev.vidqa.answerer.generate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Decides whether the latest token ended a sequence. */
public final class StopRules {
    private final long eos;
    private final Set<Long> stopIds;
    private final List<String> stopStrings;
    private final Function<long[], String> decoder;

    public StopRules(long eos, List<Long> stopIds, List<String> stopStrings, Function<long[], String> decoder) {
        this.eos = eos;
        this.stopIds = new HashSet<>(stopIds);
        this.stopStrings = stopStrings;
        this.decoder = decoder;
        if (!stopStrings.isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop strings need a decoder");
        }
    }

    public long eos() {
        return eos;
    }

    /** Ids whose appearance ends a sequence: the minimum-length rule suppresses these. */
    public Set<Long> endIds() {
        Set<Long> s = new HashSet<>(stopIds);
        s.add(eos);
        return s;
    }

    /** Null while {@code tokens} (ending with the newest) may continue, else why it ended. */
    public FinishReason check(long[] tokens) {
        long last = tokens[tokens.length - 1];
        if (last == eos) {
            return FinishReason.EOS;
        }
        if (stopIds.contains(last)) {
            return FinishReason.STOP_TOKEN;
        }
        if (!stopStrings.isEmpty()) {
            String text = decoder.apply(tokens);
            for (String s : stopStrings) {
                if (text.contains(s)) {
                    return FinishReason.STOP_STRING;
                }
            }
        }
        return null;
    }

    /** The answer text cut before the first stop string. */
    public String cut(String text) {
        int at = text.length();
        for (String s : stopStrings) {
            int i = text.indexOf(s);
            if (i >= 0) {
                at = Math.min(at, i);
            }
        }
        return text.substring(0, at).trim();
    }
}
