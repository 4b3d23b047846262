package dev.vidqa.topology.cli;

import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.frames.Sampling;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.qformer.DeviceChoice;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that run the model: checkpoint, device, sampling, decoding. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Hugging Face InstructBLIP checkpoint directory (default: the tiny random-weight fixture)")
    Path model;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--frames", defaultValue = "4", description = "frames per question (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--sampling", defaultValue = "uniform", description = "uniform, headtail or fps (default: ${DEFAULT-VALUE})")
    String sampling;

    @Option(names = "--fps", defaultValue = "1", description = "frames per second for --sampling fps (default: ${DEFAULT-VALUE})")
    double fps;

    @Option(names = "--beams", defaultValue = "5", description = "beam width, 1 = greedy (default: ${DEFAULT-VALUE})")
    int beams;

    @Option(names = "--max-new-tokens", defaultValue = "10", description = "(default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--min-new-tokens", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    int minNewTokens;

    @Option(names = "--length-penalty", defaultValue = "-1", description = "(default: ${DEFAULT-VALUE})")
    double lengthPenalty;

    @Option(names = "--repetition-penalty", defaultValue = "1.5", description = "(default: ${DEFAULT-VALUE})")
    double repetitionPenalty;

    @Option(names = "--early-stopping", description = "end a beam search once --beams answers are finished (the"
            + " original evaluation does not)")
    boolean earlyStopping;

    @Option(names = "--prompt", defaultValue = AnswerOptions.DEFAULT_TEMPLATE,
            description = "prompt template, {} is the question (default: \"${DEFAULT-VALUE}\")")
    String promptTemplate;

    Path modelDir() {
        return model != null ? model : Defaults.tinyModel();
    }

    DeviceChoice deviceChoice() {
        return DeviceChoice.parse(device);
    }

    SamplingSpec samplingSpec() {
        Sampling s = Sampling.parse(sampling);
        return s == Sampling.FPS ? SamplingSpec.fps(fps, 0) : new SamplingSpec(s, frames, 0);
    }

    AnswerOptions answerOptions() {
        GenerationOptions g = new GenerationOptions(beams, maxNewTokens, Math.min(minNewTokens, maxNewTokens),
                lengthPenalty, repetitionPenalty, earlyStopping, List.of(), List.of());
        return new AnswerOptions(g, promptTemplate, 32);
    }

    static List<String> candidates(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
