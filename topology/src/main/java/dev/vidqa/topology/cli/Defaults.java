package dev.vidqa.topology.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Paths of what the repository ships: the tiny fixture checkpoint and the sample video. */
final class Defaults {
    private Defaults() {}

    /** The repository root: {@code -Dvidqa.home} (set by the launcher), else the working directory. */
    static Path home() {
        String h = System.getProperty("vidqa.home");
        return h != null ? Paths.get(h) : Paths.get("").toAbsolutePath();
    }

    /** The tiny random-weight InstructBLIP-video (FlanT5) checkpoint the tests use. */
    static Path tinyModel() {
        return home().resolve("qformer-service/src/test/resources/golden/tiny-instructblip-video-t5");
    }

    /**
     * The world model shipped in the repository (trained by {@code vidqa train --recipe world}): the
     * default of every command that answers.
     */
    static Path worldModel() {
        return home().resolve(WORLD_MODEL);
    }

    static final String WORLD_MODEL = "topology/models/vidqa-world-t5";

    /** The default model: the world model when the repository has it, else the tiny fixture. */
    static Path model() {
        Path w = worldModel();
        return Files.isRegularFile(w.resolve("model.safetensors")) ? w : tinyModel();
    }

    static Path sampleVideo() {
        return home().resolve("frames/src/test/resources/media/cityCC0.mpg");
    }

    static boolean isTinyModel(Path model) {
        try {
            return Files.isSameFile(model, tinyModel());
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
