package dev.vidqa.topology.cli;

import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.topology.pipeline.AnswerSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The answer-settings options of the commands that answer ({@code answer}, {@code eval}): each
 * unset option keeps the model's own setting ({@code vidqa.json}) or the command's default; the
 * names are {@link AnswerSettings#KEYS}.
 */
public final class AnswerSettingsOptions {
    @Option(names = "--frames", description = "frames per question (default: the model's, else 4)")
    Integer frames;

    @Option(names = "--sampling", description = "uniform, headtail or fps (default: the model's, else uniform; eval: headtail)")
    String sampling;

    @Option(names = "--fps", description = "frames per second for --sampling fps (default: 1)")
    Double fps;

    @Option(names = "--max-frames", description = "the most frames --sampling fps takes (default: 32)")
    Integer maxFrames;

    @Option(names = "--beams", description = "beam width, 1 = greedy (default: 5)")
    Integer beams;

    @Option(names = "--max-new-tokens", description = "(default: 10; eval: 30 for MSVD-QA)")
    Integer maxNewTokens;

    @Option(names = "--min-new-tokens", description = "(default: 1)")
    Integer minNewTokens;

    @Option(names = "--length-penalty", description = "(default: -1)")
    Double lengthPenalty;

    @Option(names = "--repetition-penalty", description = "(default: 1.5)")
    Double repetitionPenalty;

    @Option(names = "--early-stopping", description = "end a beam search once --beams answers are finished (the"
            + " original evaluation does not)")
    Boolean earlyStopping;

    @Option(names = "--prompt", description = "prompt template, {} is the question (default: \"" + AnswerOptions.DEFAULT_TEMPLATE
            + "\")")
    String promptTemplate;

    /** The options given, by {@link AnswerSettings#KEYS} (unset ones left out). */
    Map<String, String> keys() {
        Object[] values = {sampling, frames, fps, maxFrames, beams, maxNewTokens, minNewTokens, lengthPenalty,
            repetitionPenalty, earlyStopping, promptTemplate};
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                m.put(AnswerSettings.KEYS.get(i), values[i].toString());
            }
        }
        return m;
    }
}
