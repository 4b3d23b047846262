package dev.vidqa.topology.cli;

import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.frames.world.WorldWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vidqa world}: generated clips with their ground truth and questions, to train and evaluate on. */
@Command(name = "world", mixinStandardHelpOptions = true,
        description = "Writes generated video clips (H.264 MP4) of coloured shapes that move, come and go, with"
                + " scenes.jsonl (the ground truth) and qa.jsonl (questions and answers for `vidqa train` and"
                + " `vidqa eval --dataset jsonl`). The heldout split adds phrasings and colour-shape pairs the train"
                + " split never shows.")
final class WorldCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "7", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--clips", defaultValue = "2000", description = "(default: ${DEFAULT-VALUE})")
    int clips;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--split", defaultValue = "train", description = "train or heldout (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--width", defaultValue = "160", description = "(default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--height", defaultValue = "120", description = "(default: ${DEFAULT-VALUE})")
    int height;

    @Option(names = "--fps", defaultValue = "10", description = "(default: ${DEFAULT-VALUE})")
    int fps;

    @Option(names = "--duration", defaultValue = "6", description = "seconds per clip (default: ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        WorldWriter.Result r = WorldWriter.write(out, new WorldWriter.Spec(seed, clips, WorldSplit.parse(split), width,
                height, fps, duration, Runtime.getRuntime().availableProcessors()));
        System.out.printf("vidqa world: %d clips, %d questions in %s (%s split, %.1f s)%n", r.clips(), r.questions(),
                out, split, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
