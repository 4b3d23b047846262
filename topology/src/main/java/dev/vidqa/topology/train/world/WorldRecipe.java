package dev.vidqa.topology.train.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.init.ModelInit;
import dev.vidqa.answerer.train.CheckpointWriter;
import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.frames.world.WorldWriter;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.topology.eval.DatasetReader;
import dev.vidqa.topology.eval.EvalDataset;
import dev.vidqa.topology.eval.EvalItem;
import dev.vidqa.topology.eval.EvalReport;
import dev.vidqa.topology.eval.EvalRunner;
import dev.vidqa.topology.eval.EvalSettings;
import dev.vidqa.topology.eval.Prediction;
import dev.vidqa.topology.pipeline.AnswerSettings;
import dev.vidqa.topology.train.MixSampler;
import dev.vidqa.topology.train.TrainRun;
import dev.vidqa.topology.train.TrainSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vidqa train --recipe world}: the whole seeded road from nothing to the shipped world
 * model, each stage resumable (a finished stage is skipped, a stopped one continues from its
 * last checkpoint):
 *
 * <ol>
 *   <li>{@code world/}: the generated clips and questions (train and held-out splits);
 *   <li>{@code init/}: a tiny InstructBLIP-video (T5 LM) with random weights and word-level
 *       tokenizers over the world's words;
 *   <li>{@code stage1-vision/}: the vision encoder pretrained on dense per-patch targets;
 *   <li>{@code stage2-qformer-pretraining/}: the Q-Former learns to describe each frame (which
 *       colours and shapes are where, how many objects) on its soft prompt, before any LM reads it;
 *   <li>{@code stage3-lm/}: the new language model alone learns the answer language — to read the
 *       describing Q-Former's soft prompts — on the question mix (vision encoder and Q-Former frozen);
 *   <li>{@code stage4-qformer/}: instruction tuning as the paper does it — the Q-Former (query
 *       tokens, projection) alone, continuing from stage 3's, vision encoder and LM frozen, √S mix
 *       of the question types, instruction templates;
 *   <li>in every stage, no label counts against an attribute value training never showed with the
 *       object's other attribute ({@link SeenPairs}), so that held-out pairs are not learned as impossible;
 *   <li>{@code model/}: the result, weights and tokenizers only, with {@code vidqa.json} (answer from
 *       the frames it was trained on) and a model card with the held-out evaluation.
 * </ol>
 */
public final class WorldRecipe {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DONE = "stage-done.json";
    /**
     * Stage 3's shares of LM prompts without attribute words, with function words dropped and added,
     * and with their words in a random order.
     */
    static final double LM_HIDE_RATE = 0.5, LM_NOISE_RATE = 0.5, LM_SHUFFLE_RATE = 0.3;
    static final List<String> STAGES = List.of("stage1-vision", "stage2-qformer-pretraining", "stage3-lm",
            "stage4-qformer");
    /** What a world model's {@code vidqa.json} says it knows. */
    public static final String DOMAIN = "vidqa-world";

    /** Whether a model directory holds a model of the generated world (its {@code vidqa.json} says so). */
    public static boolean isWorldModel(Path dir) {
        Path f = dir.resolve(AnswerSettings.MODEL_FILE);
        try {
            return Files.isRegularFile(f) && DOMAIN.equals(JSON.readTree(f.toFile()).path("domain").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** Sizes of the recipe; {@link #defaults} is what the shipped model was trained with. */
    /**
     * @param visionClips the first clips of the train split that stage 1 (vision) learns from
     * @param describeClips the first clips of the train split that stage 2 (describing) learns from;
     *     stages 3 and 4 (the questions) see all {@code trainClips}
     */
    public record Settings(Path out, long seed, int trainClips, int visionClips, int describeClips, int heldOutClips,
                           int frames, long visionSteps, long describeSteps, long lmSteps, long qformerSteps,
                           int evalLimit, DeviceChoice device) {
        public Settings {
            if (visionClips < 1 || visionClips > trainClips || describeClips < 1 || describeClips > trainClips) {
                throw new IllegalArgumentException("vision and describe clips must be 1.." + trainClips + ", got "
                        + visionClips + " and " + describeClips);
            }
        }

        public static Settings defaults(Path out) {
            return new Settings(out, 7, 8000, 8000, 2000, 300, 8, 3000, 1800, 6000, 1200, 300, DeviceChoice.AUTO);
        }

        /** Stage steps by name: vision, describe, lm, qformer. */
        public Settings withStageSteps(Map<String, Long> steps) {
            for (String k : steps.keySet()) {
                if (!List.of("vision", "describe", "lm", "qformer").contains(k)) {
                    throw new IllegalArgumentException("unknown stage '" + k + "' (vision, describe, lm, qformer)");
                }
            }
            return new Settings(out, seed, trainClips, visionClips, describeClips, heldOutClips, frames,
                    steps.getOrDefault("vision", visionSteps),
                    steps.getOrDefault("describe", describeSteps), steps.getOrDefault("lm", lmSteps),
                    steps.getOrDefault("qformer", qformerSteps), evalLimit, device);
        }

        /** {@code train} clips, all of them for pretraining too. */
        public Settings withClips(int train, int heldOut) {
            return new Settings(out, seed, train, train, train, heldOut, frames, visionSteps, describeSteps,
                    lmSteps, qformerSteps, evalLimit, device);
        }

        public Settings withDevice(DeviceChoice d) {
            return new Settings(out, seed, trainClips, visionClips, describeClips, heldOutClips, frames, visionSteps,
                    describeSteps, lmSteps, qformerSteps, evalLimit, d);
        }
    }

    private final Settings s;
    private final PrintStream log;

    public WorldRecipe(Settings s, PrintStream log) {
        this.s = s;
        this.log = log;
    }

    public Path trainWorld() {
        return s.out().resolve("world/train");
    }

    public Path heldOutWorld() {
        return s.out().resolve("world/heldout");
    }

    /** Runs every stage not yet done; returns the final model directory. */
    public Path run() throws IOException, InterruptedException {
        Files.createDirectories(s.out());
        world(trainWorld(), WorldSplit.TRAIN, s.trainClips());
        world(heldOutWorld(), WorldSplit.HELDOUT, s.heldOutClips());
        List<String> perType = splitByType(trainWorld());
        List<String> heldOutPerType = splitByType(heldOutWorld()); // held-out accuracy by type while training
        Path templates = writeTemplates(perType);
        Path init = initModel();
        Path vision = stage("stage1-vision", () -> new VisionPretraining(new VisionPretraining.Settings(init,
                trainWorld(), s.visionClips(), heldOutWorld(), s.out().resolve("stage1-vision"), s.visionSteps(), 64, 1e-3, 100, s.frames(), s.seed(),
                s.device()), log).run());
        Path features = s.out().resolve("features");
        Path described = stage("stage2-qformer-pretraining", () -> new QFormerPretraining(new QFormerPretraining.Settings(
                vision, trainWorld(), s.describeClips(), heldOutWorld(), s.out().resolve("stage2-qformer-pretraining"), features, s.describeSteps(), 32,
                1e-3, 100, s.frames(), s.seed(), s.device()), log).run());
        Path lm = stage("stage3-lm", () -> new LmPretraining(new LmPretraining.Settings(described, trainWorld(),
                s.out().resolve("stage3-lm"), features, s.lmSteps(), 32, 5e-4, 100, s.frames(), s.seed(), LM_HIDE_RATE, LM_NOISE_RATE, LM_SHUFFLE_RATE,
                s.device()),
                log).run());
        Path qformer = stage("stage4-qformer", () -> new TrainRun(qaSettings(lm, TrainableParts.QFORMER,
                s.out().resolve("stage4-qformer"), s.qformerSteps(), 2e-4, perType, heldOutPerType, templates), log)
                .excluding(SeenPairs.of(trainWorld())).run()
                .checkpoint());
        Path model = publish(qformer);
        evaluate(model);
        return model;
    }

    /** The whole held-out split through the model's default settings; the model card with the result. */
    private void evaluate(Path model) throws IOException {
        AnswerSettings answer = AnswerSettings.forModel(model);
        List<EvalItem> items = DatasetReader.read(EvalDataset.JSONL, heldOutWorld().resolve("qa.jsonl"), heldOutWorld(),
                null, null);
        Path out = s.out().resolve("eval-heldout");
        List<Prediction> predictions;
        try (InstructBlipVideo m = InstructBlipVideo.load(model, s.device())) {
            predictions = new EvalRunner(m, new EvalSettings(EvalDataset.JSONL, answer, true)).run(items, out, log, null);
        }
        EvalReport report = EvalReport.of("world-heldout", model.toString(), predictions, new LinkedHashMap<String, Object>(
                answer.asKeys()));
        report.write(out);
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String stage : STAGES) {
            Path marker = s.out().resolve(stage).resolve(DONE);
            if (Files.isRegularFile(marker)) {
                seconds.put(stage, JSON.readTree(marker.toFile()).path("seconds").asDouble());
            }
        }
        String machine = String.format(java.util.Locale.ROOT, "%d cores (%s %s), Java %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"));
        WorldModelCard.write(model, s, seconds, report, machine);
        log.printf("vidqa train (world): held-out accuracy %.1f %% over %d questions; %s%n", report.accuracy(),
                report.scored(), report.byType());
    }

    private TrainSettings qaSettings(Path model, TrainableParts parts, Path out, long steps, double lr,
                                     List<String> train, List<String> heldOut, Path templates) {
        return new TrainSettings(model, s.device(), parts, train, heldOut, null, out, steps, 32, 32, lr, Math.min(200, steps / 10), 0.05, 1.0, s.seed(),
                SamplingSpec.uniform(s.frames()), MixSampler.Mode.SQRT, Map.of(), templates, 1000, s.evalLimit() / 6, 500, 2,
                s.out().resolve("features"), true);
    }

    /** A stage's work, returning its checkpoint directory. */
    private interface Stage {
        Path run() throws IOException, InterruptedException;
    }

    /** Runs a stage unless its done-marker says where its result already is. */
    private Path stage(String name, Stage work) throws IOException, InterruptedException {
        Path dir = s.out().resolve(name);
        Path marker = dir.resolve(DONE);
        if (Files.isRegularFile(marker)) {
            Path done = dir.resolve(JSON.readTree(marker.toFile()).path("checkpoint").asText());
            log.println("vidqa train (world): " + name + " already done: " + done);
            return done;
        }
        long t0 = System.nanoTime();
        Path result = work.run();
        Files.createDirectories(dir);
        ObjectNode m = JSON.createObjectNode().put("checkpoint", dir.relativize(result).toString())
                .put("seconds", (System.nanoTime() - t0) / 1e9);
        JSON.writerWithDefaultPrettyPrinter().writeValue(marker.toFile(), m);
        return result;
    }

    private void world(Path dir, WorldSplit split, int clips) throws IOException {
        if (Files.isRegularFile(dir.resolve("qa.jsonl"))) {
            return;
        }
        long t0 = System.nanoTime();
        WorldWriter.Result r = WorldWriter.write(dir, new WorldWriter.Spec(s.seed(), clips, split, 160, 120, 10, 6.0,
                Runtime.getRuntime().availableProcessors()));
        log.printf("vidqa train (world): %s split: %d clips, %d questions (%.1f s)%n", split.word(), r.clips(),
                r.questions(), (System.nanoTime() - t0) / 1e9);
    }

    /** qa-TYPE.jsonl beside the clips: one dataset per question type, so the √S mix is over types. */
    private static List<String> splitByType(Path world) throws IOException {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (String line : Files.readAllLines(world.resolve("qa.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                byType.computeIfAbsent(JSON.readTree(line).path("type").asText(), k -> new ArrayList<>()).add(line);
            }
        }
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byType.entrySet()) {
            Path f = world.resolve("qa-" + e.getKey() + ".jsonl");
            Files.write(f, e.getValue(), StandardCharsets.UTF_8);
            files.add(f.toString());
        }
        return files;
    }

    /**
     * The short ones among the paper's VQA templates, for every question type (the long ones cost
     * every frame's Q-Former pass and the LM twice the tokens, and teach this world nothing more).
     */
    static final List<String> TEMPLATES = List.of("{}", "Question: {}", "Q: {} A:", "Question: {} Short answer:",
            "{} A short answer to the question is");

    private Path writeTemplates(List<String> perType) throws IOException {
        ObjectNode t = JSON.createObjectNode();
        for (String f : perType) {
            String type = Path.of(f).getFileName().toString().replace("qa-", "").replace(".jsonl", "");
            TEMPLATES.forEach(t.putArray(type)::add);
        }
        Path file = s.out().resolve("templates.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), t);
        return file;
    }

    private Path initModel() throws IOException {
        Path init = s.out().resolve("init");
        if (Files.isRegularFile(init.resolve("model.safetensors"))) {
            return init;
        }
        Path config = s.out().resolve("world-config.json");
        try (InputStream in = WorldRecipe.class.getResourceAsStream("world-config.json")) {
            ObjectNode c = (ObjectNode) JSON.readTree(in);
            c.put("num_frame_positions", s.frames()); // one row per frame the model is trained to read
            JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), c);
        }
        ModelInit.write(config, WorldVocabulary.words(s.out().resolve("templates.json")), init, s.seed());
        return init;
    }

    /** Copies the final checkpoint's model files (no optimiser state) to {@code model/}. */
    private Path publish(Path checkpoint) throws IOException {
        Path model = s.out().resolve("model");
        Files.createDirectories(model);
        try (var files = Files.walk(checkpoint)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) || n.equals(CheckpointWriter.OPTIMIZER) || n.equals(CheckpointWriter.STATE)) {
                    continue;
                }
                Path target = model.resolve(checkpoint.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        ObjectNode settings = JSON.createObjectNode().put("domain", DOMAIN);
        settings.putObject("answer").put("sampling", "uniform").put("frames", s.frames());
        JSON.writerWithDefaultPrettyPrinter().writeValue(model.resolve(AnswerSettings.MODEL_FILE).toFile(), settings);
        log.println("vidqa train (world): model in " + model);
        return model;
    }
}
