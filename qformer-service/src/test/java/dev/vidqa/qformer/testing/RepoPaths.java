package dev.vidqa.qformer.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The repository root, for tests that read shared test data of another module. */
public final class RepoPaths {
    private RepoPaths() {}

    public static Path root() {
        String p = System.getProperty("vidqa.repo.root");
        if (p != null && Files.isDirectory(Paths.get(p, "qformer-service"))) {
            return Paths.get(p);
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("qformer-service")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the vidqa repository root from " + Paths.get("").toAbsolutePath());
    }

    /** The tiny T5 checkpoint shipped with the tests. */
    public static Path tinyT5() {
        return root().resolve("qformer-service/src/test/resources/golden/tiny-instructblip-video-t5");
    }

    public static Path tinyLlama() {
        return root().resolve("qformer-service/src/test/resources/golden/tiny-instructblip-video-llama");
    }

    /** The real sample video shipped with the repository. */
    public static Path sampleVideo() {
        return root().resolve("frames/src/test/resources/media/cityCC0.mpg");
    }
}
