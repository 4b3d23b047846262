package dev.vidqa.topology.cli;

import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.topology.pipeline.AnswerSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the commands that run the model: checkpoint, device, sampling, decoding. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Hugging Face InstructBLIP checkpoint directory (default: the shipped world model)")
    Path model;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Mixin
    AnswerSettingsOptions answer = new AnswerSettingsOptions();

    Path modelDir() {
        return model != null ? model : Defaults.model();
    }

    DeviceChoice deviceChoice() {
        return DeviceChoice.parse(device);
    }

    /** The model's answer settings (or the defaults) with the options given on the command line. */
    AnswerSettings answerSettings() {
        return AnswerSettings.forModel(modelDir()).withOverrides(answer.keys());
    }



    static List<String> candidates(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
