package dev.vidqa.topology.cli;

import dev.vidqa.answerer.bench.DecodeBenchmark;
import dev.vidqa.frames.bench.DecodeSpeedBenchmark;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.Engines;
import dev.vidqa.qformer.bench.VisionBenchmark;
import dev.vidqa.topology.bench.FeatureCacheBenchmark;
import dev.vidqa.topology.bench.StreamBenchmark;
import dev.vidqa.topology.bench.TrainBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidqa bench}: the benchmarks whose figures the README quotes. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark and print its figures: vision, decode, frames, stream, watches, cache, train, soak (or all).")
public final class BenchCommand implements Callable<Integer> {
    enum Which { vision, decode, frames, stream, watches, cache, train, soak, all }

    @Parameters(index = "0", description = "vision | decode | frames | stream | watches | cache | train | soak | all")
    Which which;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto")
    String device;

    @Option(names = "--minutes", defaultValue = "4", description = "length of the soak benchmark (default: ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (which == Which.train) {
            Engines.limitThreads(Engines.coresBesideOneThread()); // as vidqa train: a prefetch thread works beside
        }
        DeviceChoice d = DeviceChoice.parse(device);
        if (which == Which.vision || which == Which.all) {
            VisionBenchmark.run(d, out);
        }
        if (which == Which.decode || which == Which.all) {
            DecodeBenchmark.run(d, out);
        }
        if (which == Which.frames || which == Which.all) {
            List<Path> files = new ArrayList<>();
            files.add(Defaults.sampleVideo());
            DecodeSpeedBenchmark.run(files, out);
        }
        if (which == Which.stream || which == Which.all) {
            StreamBenchmark.run(streamSetups(), out);
        }
        if (which == Which.watches) { // minutes long: not part of "all"
            dev.vidqa.topology.bench.WatchCapacityBenchmark.run(Defaults.worldModel(),
                    Defaults.worldModel().resolve("samples/clips"), java.time.Duration.ofSeconds(30), out);
        }
        if (which == Which.cache || which == Which.all) {
            FeatureCacheBenchmark.run(Defaults.tinyModel(), out);
        }
        if (which == Which.soak) { // minutes long: not part of "all"
            dev.vidqa.topology.bench.SoakBenchmark.run(Defaults.tinyModel(), Defaults.sampleVideo(),
                    java.time.Duration.ofMillis(Math.round(minutes * 60_000)), out);
        }
        if (which == Which.train || which == Which.all) {
            TrainBenchmark.run(Defaults.tinyModel(), out);
        }
        return 0;
    }

    /**
     * The tiny fixture (fixed cost per question dominates) and the world model on one of its sample
     * clips with that clip's questions (a model whose answers mean something; the last line's ratio).
     */
    static List<StreamBenchmark.Setup> streamSetups() throws java.io.IOException {
        List<StreamBenchmark.Setup> setups = new ArrayList<>();
        setups.add(new StreamBenchmark.Setup("tiny fixture", Defaults.tinyModel(), Defaults.sampleVideo(),
                List.of("what is happening in the street?", "what is the man doing?", "how many cars are there?")));
        Path world = Defaults.worldModel();
        Path samples = world.resolve("samples");
        if (java.nio.file.Files.isRegularFile(samples.resolve("qa.jsonl"))) {
            String clip = "clips/000001.mp4";
            List<String> qs = new ArrayList<>();
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (String line : java.nio.file.Files.readAllLines(samples.resolve("qa.jsonl"))) {
                var n = json.readTree(line);
                if (clip.equals(n.path("video").asText())) {
                    qs.add(n.path("question").asText());
                }
            }
            setups.add(new StreamBenchmark.Setup("world model", world, samples.resolve(clip), qs));
        }
        return setups;
    }
}
