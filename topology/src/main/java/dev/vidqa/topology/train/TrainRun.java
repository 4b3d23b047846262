package dev.vidqa.topology.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.AnswerOptions;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.generate.GenerationOptions;
import dev.vidqa.answerer.train.AdamW;
import dev.vidqa.answerer.train.AnswerExclusions;
import dev.vidqa.answerer.train.CheckpointWriter;
import dev.vidqa.answerer.train.NonFiniteLossException;
import dev.vidqa.answerer.train.Parameters;
import dev.vidqa.answerer.train.Trainer;
import dev.vidqa.answerer.train.WarmupCosineSchedule;
import dev.vidqa.qformer.config.InstructBlipConfig;
import dev.vidqa.qformer.config.JsonFiles;
import dev.vidqa.qformer.serve.DiskFeatureStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole training run: datasets, mixing and templates, the batch pipeline (with its prefetch
 * thread and feature store), the trainer, held-out evaluation, checkpoints, the log and the
 * report. {@code --resume} continues from {@code latest.json} exactly as if never stopped.
 */
public final class TrainRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a finished run reports. */
    public record Outcome(long steps, double lastLoss, Path checkpoint, HeldOutEval.Result lastEval,
                          int skippedVideos, double samplesPerSecond, double seconds, long storeHits, long storeMisses) {}

    private final TrainSettings s;
    private final PrintStream out;
    private long stopAfter = Long.MAX_VALUE;
    private java.util.function.LongConsumer onStep = step -> { };
    private AnswerExclusions exclusions = AnswerExclusions.NONE;

    public TrainRun(TrainSettings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    /** Called after every step with the number of steps done (benchmarks sample memory there). */
    public TrainRun onStep(java.util.function.LongConsumer listener) {
        this.onStep = listener;
        return this;
    }

    /** Answers left out of examples' losses ({@link AnswerExclusions}); none by default. */
    public TrainRun excluding(AnswerExclusions exclusions) {
        this.exclusions = exclusions;
        return this;
    }

    /** Stops after step {@code step} as if the process were killed there (tests of --resume). */
    TrainRun stopAfter(long step) {
        this.stopAfter = step;
        return this;
    }

    public Outcome run() throws IOException, InterruptedException {
        // everything that can be refused is checked before any model work
        InstructBlipConfig.read(s.model());
        List<TrainDataset> train = new ArrayList<>();
        for (String spec : s.trainData()) {
            train.add(TrainDataset.read(spec, s.videos()));
        }
        List<TrainDataset> held = new ArrayList<>();
        for (String spec : s.evalData()) {
            held.add(TrainDataset.read(spec, s.videos()));
        }
        InstructionTemplates templates = s.templates() != null ? InstructionTemplates.read(s.templates())
                : InstructionTemplates.defaults();
        for (TrainDataset d : train) {
            d.examples().stream().map(TrainExample::task).distinct().forEach(templates::forTask);
        }
        MixSampler mixer = new MixSampler(train.stream().map(TrainDataset::name).toList(),
                train.stream().map(d -> d.present().size()).toList(), s.mix(), s.mixWeights());
        Files.createDirectories(s.out());

        Path resumeFrom = s.resume() ? CheckpointWriter.latest(s.out()) : null;
        if (s.resume() && resumeFrom == null) {
            out.println("vidqa train: nothing to resume in " + s.out() + "; starting at step 0");
        }
        JsonNode resumeState = null;
        if (resumeFrom != null) {
            resumeState = JsonFiles.read(resumeFrom.resolve(CheckpointWriter.STATE), JsonFiles.SMALL);
            InstructBlipConfig.read(resumeFrom);
            if (!JsonFiles.read(resumeFrom.resolve(InstructBlipConfig.FILE), JsonFiles.SMALL)
                    .equals(JsonFiles.read(s.model().resolve(InstructBlipConfig.FILE), JsonFiles.SMALL))) {
                throw new IllegalArgumentException(resumeFrom + " was trained from a model of another configuration"
                        + " than " + s.model() + "; refusing to resume");
            }
            if (!resumeState.path("train").asText("").equals(s.parts().cliName())) {
                throw new IllegalArgumentException(resumeFrom + " was trained with --train "
                        + resumeState.path("train").asText() + ", not " + s.parts().cliName());
            }
        }
        long start = resumeState == null ? 0 : resumeState.path("step").asLong();
        Path modelDir = resumeFrom != null ? resumeFrom : s.model();

        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(modelDir, s.device())) {
            Parameters params = Parameters.select(model.weights().loadedArrays(), s.parts());
            AdamW adamw = AdamW.paper(params, s.weightDecay());
            if (resumeFrom != null) {
                adamw.restore(resumeState.path("optimizer_step").asLong(), CheckpointWriter.readOptimizerState(resumeFrom));
            }
            WarmupCosineSchedule schedule = WarmupCosineSchedule.paper(s.lr(), s.warmupSteps(), s.steps());
            DiskFeatureStore store = new DiskFeatureStore(s.featureStore());
            BatchMaker maker = new BatchMaker(model, s, train, mixer, templates, store, exclusions);
            if (s.parts().visionFrozen()) {
                maker.warm(out);
            }
            AnswerOptions evalOptions = new AnswerOptions(new GenerationOptions(1, 10, 1, 1.0, 1.0, false, List.of(),
                    List.of()), AnswerOptions.DEFAULT_TEMPLATE, 32);
            HeldOutEval eval = new HeldOutEval(model, held, maker, evalOptions, s.evalLimit());
            CheckpointWriter checkpoints = new CheckpointWriter(s.out(), s.keepCheckpoints());
            out.printf("vidqa train: %s, %d trainable tensors (%,d parameters), %d datasets (%s), steps %d..%d%n",
                    s.parts().cliName(), params.list().size(), params.count(), train.size(),
                    String.join(", ", train.stream().map(d -> d.name() + " " + d.size()).toList()), start, s.steps());
            TrainProgress progress = new TrainProgress(out, s.steps(), start, s.batch());
            Trainer.StepResult last = null;
            HeldOutEval.Result lastEval = null;
            Path lastCheckpoint = resumeFrom;
            long t0 = System.nanoTime();
            String status = "finished";
            try (Trainer trainer = new Trainer(model, params, adamw, schedule, s.maxGradNorm());
                 TrainLog log = new TrainLog(s.out(), start);
                 Prefetcher prefetch = new Prefetcher(maker, start, s.steps(), 2)) {
                for (long step = start; step < s.steps(); step++) {
                    PreparedStep prepared = prefetch.next();
                    last = trainer.step(prepared.microBatches());
                    double rate = (step - start + 1) * (double) s.batch() / ((System.nanoTime() - t0) / 1e9);
                    log.step(last, rate);
                    progress.update(step + 1, last.loss(), rate);
                    onStep.accept(step + 1);
                    boolean end = step + 1 == s.steps();
                    if (!eval.isEmpty() && (end || (s.evalEvery() > 0 && (step + 1) % s.evalEvery() == 0))) {
                        lastEval = eval.run(step + 1);
                        log.eval(lastEval);
                        out.printf("%nvidqa train: step %d held-out accuracy %.1f%% %s%n", step + 1, lastEval.overall(),
                                lastEval.accuracy());
                    }
                    if (end || (s.saveEvery() > 0 && (step + 1) % s.saveEvery() == 0)) {
                        lastCheckpoint = checkpoints.write("checkpoint-" + (step + 1), model, adamw, state(step + 1));
                    }
                    if (step + 1 >= stopAfter) {
                        status = "interrupted after step " + (step + 1);
                        break;
                    }
                }
            } catch (NonFiniteLossException e) {
                status = "stopped: " + e.getMessage();
                throw e;
            } finally {
                TrainReport.write(s.out(), s, TrainLog.read(s.out()), maker.skipped(), status);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = (s.steps() - start) * (double) s.batch() / seconds;
            out.printf("vidqa train: done; checkpoint %s, report %s, %d videos skipped, %.1f samples/s, feature store"
                            + " %d hits / %d misses%n", lastCheckpoint, s.out().resolve("report.html"), maker.skipped().size(),
                    rate, store.hits(), store.misses());
            return new Outcome(s.steps(), last == null ? Double.NaN : last.loss(), lastCheckpoint, lastEval,
                    maker.skipped().size(), rate, seconds, store.hits(), store.misses());
        }
    }

    /** What {@code --resume} needs besides weights and moments; the data order follows from seed and step. */
    private ObjectNode state(long step) {
        ObjectNode n = JSON.createObjectNode().put("step", step).put("seed", s.seed()).put("train", s.parts().cliName())
                .put("steps", s.steps()).put("batch", s.batch()).put("micro_batch", s.microBatch()).put("lr", s.lr())
                .put("warmup_steps", s.warmupSteps()).put("weight_decay", s.weightDecay())
                .put("base_model", s.model().toAbsolutePath().toString());
        n.putArray("train_data").addAll(s.trainData().stream().map(JSON.getNodeFactory()::textNode).toList());
        LOG.debug("checkpoint state {}", n);
        return n;
    }
}
