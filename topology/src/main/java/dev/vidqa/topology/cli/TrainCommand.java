package dev.vidqa.topology.cli;

import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.frames.Sampling;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.Engines;
import dev.vidqa.topology.train.MixSampler;
import dev.vidqa.topology.train.TrainRun;
import dev.vidqa.topology.train.TrainSettings;
import dev.vidqa.topology.train.world.WorldRecipe;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vidqa train}: instruction tuning as the paper does it (or a whole tiny model with --train all). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tunes the Q-Former, query tokens and projection (vision encoder and language model"
                + " frozen) on labelled video questions; writes Hugging Face checkpoints, a log and a report.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "checkpoint to start from (required without --recipe)")
    Path model;

    @Option(names = "--recipe", paramLabel = "NAME", description = "world: generate the world, build and train the"
            + " world model in stages into --out (resumable: run it again to continue)")
    String recipe;

    @Option(names = "--stage-steps", split = ",", paramLabel = "STAGE=N",
            description = "with --recipe world: steps of a stage (vision, describe, lm, qformer)")
    Map<String, Long> stageSteps = new LinkedHashMap<>();

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--train-data", split = ",", paramLabel = "FILE[:FORMAT]",
            description = "training sets (required without --recipe): JSONL {video, question, answer|answers, task?} or msvd-qa, msrvtt-qa, ivqa")
    List<String> trainData;

    @Option(names = "--eval-data", split = ",", paramLabel = "FILE[:FORMAT]", description = "held-out sets")
    List<String> evalData;

    @Option(names = "--videos", paramLabel = "DIR", description = "where the datasets' videos are (default: beside each file)")
    Path videos;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "checkpoints, log and report")
    Path out;

    @Option(names = "--train", defaultValue = "qformer", description = "qformer (the paper) or all (default: ${DEFAULT-VALUE})")
    String train;

    @Option(names = "--steps", defaultValue = "3000", description = "optimisation steps (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--batch", defaultValue = "32", description = "examples per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--micro-batch", description = "examples per forward/backward pass; the rest is accumulated"
            + " (default: min(batch, 8))")
    Integer microBatch;

    @Option(names = "--lr", defaultValue = "1e-5", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--warmup", defaultValue = "1000", description = "linear warm-up steps from 1e-8 (default: ${DEFAULT-VALUE})")
    long warmup;

    @Option(names = "--weight-decay", defaultValue = "0.05", description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE})")
    double maxGradNorm;

    @Option(names = "--seed", defaultValue = "42", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--frames", defaultValue = "4", description = "frames per video (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--sampling", defaultValue = "headtail", description = "uniform or headtail (default: ${DEFAULT-VALUE})")
    String sampling;

    @Option(names = "--mix", defaultValue = "sqrt", description = "sqrt, uniform or proportional (default: ${DEFAULT-VALUE})")
    String mix;

    @Option(names = "--mix-weight", split = ",", paramLabel = "NAME=W", description = "override a dataset's weight")
    Map<String, Double> mixWeights = new LinkedHashMap<>();

    @Option(names = "--templates", paramLabel = "FILE", description = "instruction templates per task (JSON)")
    Path templates;

    @Option(names = "--eval-every", defaultValue = "500", description = "held-out evaluation every N steps (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--eval-limit", defaultValue = "500", description = "questions per held-out set (default: ${DEFAULT-VALUE})")
    int evalLimit;

    @Option(names = "--save-every", defaultValue = "500", description = "checkpoint every N steps (default: ${DEFAULT-VALUE})")
    int saveEvery;

    @Option(names = "--keep", defaultValue = "2", description = "checkpoints kept (default: ${DEFAULT-VALUE})")
    int keep;

    @Option(names = "--feature-store", paramLabel = "DIR", description = "vision features on disk (default: OUT/features)")
    Path featureStore;

    @Option(names = "--resume", description = "continue from OUT/latest.json")
    boolean resume;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: every core with --recipe, else cores - 1, at least 1: the"
            + " prefetch thread decodes and encodes on the remaining core)")
    Integer threads;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        // before the engine starts; the recipe caches every feature before training, so it may use every core
        Engines.limitThreads(threads != null ? threads
                : recipe != null ? Runtime.getRuntime().availableProcessors() : Engines.coresBesideOneThread());
        if (recipe != null) {
            if (!recipe.equals("world")) {
                throw new IllegalArgumentException("unknown --recipe '" + recipe + "' (world)");
            }
            new WorldRecipe(WorldRecipe.Settings.defaults(out).withStageSteps(stageSteps)
                    .withDevice(DeviceChoice.parse(device)), System.out).run();
            return 0;
        }
        if (model == null || trainData == null || trainData.isEmpty()) {
            throw new IllegalArgumentException("--model and --train-data are required (or --recipe world)");
        }
        Sampling s = Sampling.parse(sampling);
        if (s == Sampling.FPS) {
            throw new IllegalArgumentException("--sampling fps gives videos different frame counts; use uniform or headtail");
        }
        TrainSettings settings = new TrainSettings(model, DeviceChoice.parse(device), TrainableParts.parse(train),
                trainData, evalData, videos, out, steps, batch, microBatch != null ? microBatch : Math.min(batch, 8), lr,
                warmup, weightDecay, maxGradNorm, seed, new SamplingSpec(s, frames, 0), MixSampler.Mode.parse(mix),
                mixWeights, templates, evalEvery, evalLimit, saveEvery, keep, featureStore, resume);
        new TrainRun(settings, System.out).run();
        return 0;
    }

}
