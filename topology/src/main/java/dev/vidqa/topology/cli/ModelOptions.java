package dev.vidqa.topology.cli;

import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.topology.pipeline.AnswerSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.vidqa.qformer.DeviceChoice;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that run the model: checkpoint, device, sampling, decoding. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Hugging Face InstructBLIP checkpoint directory (default: the shipped world model)")
    Path model;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE})")
    String device;

    // answer settings: unset options keep the model's own (vidqa.json) or vidqa's defaults (AnswerSettings)
    @Option(names = "--frames", description = "frames per question (default: the model's, else 4)")
    Integer frames;

    @Option(names = "--sampling", description = "uniform, headtail or fps (default: uniform)")
    String sampling;

    @Option(names = "--fps", description = "frames per second for --sampling fps (default: 1)")
    Double fps;

    @Option(names = "--max-frames", description = "the most frames --sampling fps takes (default: 32)")
    Integer maxFrames;

    @Option(names = "--beams", description = "beam width, 1 = greedy (default: 5)")
    Integer beams;

    @Option(names = "--max-new-tokens", description = "(default: 10)")
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

    Path modelDir() {
        return model != null ? model : Defaults.model();
    }

    DeviceChoice deviceChoice() {
        return DeviceChoice.parse(device);
    }

    /** The model's answer settings (or the defaults) with the options given on the command line. */
    AnswerSettings answerSettings() {
        return AnswerSettings.forModel(modelDir()).withOverrides(overrides(sampling, frames, fps, maxFrames, beams,
                maxNewTokens, minNewTokens, lengthPenalty, repetitionPenalty, earlyStopping, promptTemplate));
    }

    SamplingSpec samplingSpec() {
        return answerSettings().samplingSpec();
    }

    AnswerOptions answerOptions() {
        return answerSettings().options();
    }

    /** The options given, by {@link AnswerSettings#KEYS} (in that order; null = not given). */
    static Map<String, String> overrides(Object... values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                m.put(AnswerSettings.KEYS.get(i), values[i].toString());
            }
        }
        return m;
    }

    static List<String> candidates(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
