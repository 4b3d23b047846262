package dev.vidqa.qformer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every fixture set under the directory named by the system property {@code vidqa.golden.dir}
 * (default: the project's own copy). A set is any subdirectory holding {@code golden.json}; the
 * parity tests run unchanged on any other directory of the same format.
 */
public final class GoldenSets {
    public static final String PROPERTY = "vidqa.golden.dir";

    static {
        NetworkGuard.install();
    }

    private GoldenSets() {}

    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        Path dir = configured != null && !configured.isBlank()
                ? Paths.get(configured)
                : RepoPaths.root().resolve("qformer-service/src/test/resources/golden");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(PROPERTY + " = " + dir + " is not a directory");
        }
        return dir;
    }

    public static List<GoldenSet> all() {
        try (Stream<Path> s = Files.list(root())) {
            List<GoldenSet> sets = s.filter(p -> Files.isRegularFile(p.resolve("golden.json")))
                    .sorted()
                    .map(GoldenSet::new)
                    .toList();
            if (sets.isEmpty()) {
                throw new IllegalStateException("no fixture sets (subdirectories with golden.json) under " + root());
            }
            return sets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Stream<GoldenSet> ofKind(String kind) {
        return all().stream().filter(g -> g.kind().equals(kind));
    }

    /** For {@code @MethodSource}. */
    public static Stream<GoldenSet> sets() {
        return all().stream();
    }
}
