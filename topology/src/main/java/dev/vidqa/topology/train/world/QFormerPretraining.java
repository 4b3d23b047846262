package dev.vidqa.topology.train.world;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.train.AdamW;
import dev.vidqa.answerer.train.CheckpointWriter;
import dev.vidqa.answerer.train.HeadTrainer;
import dev.vidqa.answerer.train.LinearHeads;
import dev.vidqa.answerer.train.Parameters;
import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.answerer.train.WarmupCosineSchedule;
import dev.vidqa.frames.FrameSelector;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.frames.world.Attributes;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.WorldObject;
import dev.vidqa.frames.world.WorldWriter;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.qformer.serve.DiskFeatureStore;
import dev.vidqa.topology.pipeline.VideoQa;
import dev.vidqa.topology.train.BatchMaker;
import dev.vidqa.topology.train.InstructionTemplates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Stage 2 of the world recipe: the Q-Former (queries, projection) learns to say what is in each
 * frame before any language model reads it — the small-world stand-in for BLIP-2's first,
 * representation-learning stage. Over each frame's soft prompt (the 8 projected query outputs the
 * LM will read), linear heads predict for every colour and every shape whether an object of it is
 * on screen and where (an 8 x 8 grid cell of its centre), and how many objects there are. The
 * instruction is a real question about the clip under a template, so the Q-Former learns to keep
 * the whole frame whatever it is asked; per-colour and per-shape targets (not per pair) keep the
 * held-out colour-shape pairs composable.
 */
public final class QFormerPretraining {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int GRID = 8;

    /** The stage's settings. */
    public record Settings(Path model, Path world, Path out, Path featureStore, long steps, int videos, double lr,
                           long warmup, int frames, long seed, DeviceChoice device) {}

    private final Settings s;
    private final PrintStream out;

    public QFormerPretraining(Settings s, PrintStream out) {
        this.s = s;
        this.out = out;
    }

    /** One clip: its stored features, scene, sampled frame times, whole-frame targets and its questions. */
    record Clip(List<FrameFeatures> features, Scene scene, double[] times, int[][] targets, List<String> questions) {}

    public Path run() throws IOException {
        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(s.model(), s.device())) {
            long t0 = System.nanoTime();
            List<Clip> clips = clips(model);
            out.printf("vidqa train (qformer pretraining): %d clips ready in %.1f s%n", clips.size(),
                    (System.nanoTime() - t0) / 1e9);
            int nq = model.config().numQueryTokens();
            int d = model.config().lmHiddenSize();
            int[] classes = classes();
            double[] weights = new double[classes.length];
            java.util.Arrays.fill(weights, 1.0);
            Parameters qformer = Parameters.select(model.weights().loadedArrays(), TrainableParts.QFORMER);
            // the same count and named-object groups once more on every soft-prompt token by itself: the LM
            // reads tokens through attention, so each token must carry them, not only their concatenation
            int[] tokenClasses = java.util.Arrays.copyOfRange(classes, FRAME_GROUPS - 1, classes.length);
            double[] tokenWeights = new double[tokenClasses.length];
            java.util.Arrays.fill(tokenWeights, 1.0);
            try (LinearHeads heads = new LinearHeads("frame_heads", nq * d, classes, weights, s.seed());
                 LinearHeads tokenHeads = new LinearHeads("token_heads", d, tokenClasses, tokenWeights, s.seed() + 1)) {
                Parameters params = qformer.plus(heads.parameters()).plus(tokenHeads.parameters());
                AdamW adamw = AdamW.paper(params, 0.05);
                WarmupCosineSchedule schedule = WarmupCosineSchedule.paper(s.lr(), s.warmup(), s.steps());
                double[] acc = new double[classes.length + tokenClasses.length];
                double lossAvg = 0;
                long t1 = System.nanoTime();
                try (HeadTrainer trainer = new HeadTrainer(params, adamw, schedule, 1.0)) {
                    for (long step = 0; step < s.steps(); step++) {
                        SplittableRandom rnd = new SplittableRandom(s.seed() * 7_777_777 + step);
                        List<List<FrameFeatures>> videos = new ArrayList<>();
                        List<long[]> instructions = new ArrayList<>();
                        int[][] targets = new int[classes.length][s.videos() * s.frames()];
                        for (int v = 0; v < s.videos(); v++) {
                            Clip c = clips.get(rnd.nextInt(clips.size()));
                            videos.add(c.features());
                            String q = c.questions().get(rnd.nextInt(c.questions().size()));
                            String template = WorldRecipe.TEMPLATES.get(rnd.nextInt(WorldRecipe.TEMPLATES.size()));
                            instructions.add(model.instructionIds(InstructionTemplates.apply(template, q)));
                            int[][] focus = focusTargets(c.scene(), c.times(), q);
                            for (int g = 0; g < classes.length; g++) {
                                int[] from = g < FRAME_GROUPS ? c.targets()[g] : focus[g - FRAME_GROUPS];
                                System.arraycopy(from, 0, targets[g], v * s.frames(), s.frames());
                            }
                        }
                        int rows = s.videos() * s.frames();
                        int[][] tokenTargets = new int[tokenClasses.length][rows * nq];
                        for (int g = 0; g < tokenClasses.length; g++) {
                            for (int f = 0; f < rows; f++) {
                                java.util.Arrays.fill(tokenTargets[g], f * nq, (f + 1) * nq, targets[FRAME_GROUPS - 1 + g][f]);
                            }
                        }
                        HeadTrainer.StepResult r = trainer.step(m -> {
                            NDArray soft = model.vision().prompt(model.vision().stack(m, videos), instructions, s.frames());
                            // (B, T*nq, D) -> one row per frame: (B*T, 1, nq*D); and per token: (B*T, nq, D)
                            LinearHeads.Value frame = heads.loss(soft.reshape(rows, 1, (long) nq * d), targets);
                            LinearHeads.Value token = tokenHeads.loss(soft.reshape(rows, nq, d), tokenTargets);
                            double[] both = java.util.Arrays.copyOf(frame.accuracy(), classes.length + tokenClasses.length);
                            System.arraycopy(token.accuracy(), 0, both, classes.length, tokenClasses.length);
                            return new LinearHeads.Value(frame.loss().add(token.loss()), both);
                        });
                        lossAvg = step == 0 ? r.loss() : 0.95 * lossAvg + 0.05 * r.loss();
                        for (int g = 0; g < acc.length; g++) {
                            acc[g] = step == 0 ? r.accuracy()[g] : 0.95 * acc[g] + 0.05 * r.accuracy()[g];
                        }
                        if ((step + 1) % 50 == 0 || step + 1 == s.steps()) {
                            out.printf("vidqa train (qformer pretraining): step %d/%d loss %.4f accuracy: present %.3f,"
                                            + " x %.3f, y %.3f, count %.3f; named object: on screen %.3f, colour %.3f,"
                                            + " shape %.3f, x %.3f, y %.3f; each token: count %.3f, named on screen %.3f,"
                                            + " colour %.3f, x %.3f; %.0f videos/s%n", step + 1, s.steps(), lossAvg,
                                    mean(acc, 0), mean(acc, 1), mean(acc, 2), acc[FRAME_GROUPS - 1], acc[FRAME_GROUPS],
                                    acc[FRAME_GROUPS + 1], acc[FRAME_GROUPS + 2], acc[FRAME_GROUPS + 3],
                                    acc[FRAME_GROUPS + 4], acc[classes.length], acc[classes.length + 1],
                                    acc[classes.length + 2], acc[classes.length + 4],
                                    (step + 1) * s.videos() / ((System.nanoTime() - t1) / 1e9));
                        }
                    }
                }
                ObjectNode state = JSON.createObjectNode().put("step", s.steps()).put("train", "qformer")
                        .put("stage", "qformer-pretraining").put("seed", s.seed()).put("lr", s.lr())
                        .put("count_accuracy", acc[FRAME_GROUPS - 1]).put("named_on_screen_accuracy", acc[FRAME_GROUPS]);
                return new CheckpointWriter(s.out(), 1).write("checkpoint-" + s.steps(), model, null, state);
            }
        }
    }

    /** Whole-frame groups: for each colour then each shape, present / x cell / y cell; the object count. */
    static final int FRAME_GROUPS = (Attributes.Colour.values().length + Attributes.Shape.values().length) * 3 + 1;

    /**
     * Groups: the whole-frame ones, then about the object the question names (its "focus"): on screen
     * or not, its colour, its shape, its x and y cells.
     */
    static int[] classes() {
        int attrs = Attributes.Colour.values().length + Attributes.Shape.values().length;
        int[] c = new int[FRAME_GROUPS + 5];
        for (int a = 0; a < attrs; a++) {
            c[3 * a] = 2;
            c[3 * a + 1] = GRID;
            c[3 * a + 2] = GRID;
        }
        c[FRAME_GROUPS - 1] = 6;
        c[FRAME_GROUPS] = 2;
        c[FRAME_GROUPS + 1] = Attributes.Colour.values().length;
        c[FRAME_GROUPS + 2] = Attributes.Shape.values().length;
        c[FRAME_GROUPS + 3] = GRID;
        c[FRAME_GROUPS + 4] = GRID;
        return c;
    }

    /**
     * The focus targets of a question at each frame: the object it names by colour and/or shape
     * (the only one the scene has with them), whether it is on screen, and what and where it is.
     * A question naming nothing (counting) has no focus labels.
     */
    static int[][] focusTargets(Scene scene, double[] t, String question) {
        int[][] out = new int[5][t.length];
        for (int[] row : out) {
            java.util.Arrays.fill(row, LinearHeads.IGNORE);
        }
        Attributes.Colour colour = null;
        Attributes.Shape shape = null;
        for (String w : question.toLowerCase(java.util.Locale.ROOT).split("[^a-z]+")) {
            for (Attributes.Colour c : Attributes.Colour.values()) {
                colour = c.word().equals(w) ? c : colour;
            }
            for (Attributes.Shape sh : Attributes.Shape.values()) {
                shape = sh.word().equals(w) ? sh : shape;
            }
        }
        if (colour == null && shape == null) {
            return out;
        }
        Attributes.Colour fc = colour;
        Attributes.Shape fs = shape;
        List<WorldObject> named = scene.objects().stream()
                .filter(o -> (fc == null || o.color() == fc) && (fs == null || o.shape() == fs)).toList();
        WorldObject focus = named.size() == 1 ? named.get(0) : null;
        if (named.size() > 1) {
            return out; // not a question the world asks (it names one object): no labels
        }
        for (int f = 0; f < t.length; f++) {
            boolean on = focus != null && focus.visibleAt(t[f]);
            out[0][f] = on ? 1 : 0;
            if (on) {
                double[] c = focus.centreAt(t[f]);
                out[1][f] = focus.color().ordinal();
                out[2][f] = focus.shape().ordinal();
                out[3][f] = cell(c[0]);
                out[4][f] = cell(c[1]);
            }
        }
        return out;
    }

    /** Mean accuracy of every attribute group with offset {@code k} (0 present, 1 x, 2 y). */
    private static double mean(double[] acc, int k) {
        double sum = 0;
        int n = 0;
        for (int i = k; i < FRAME_GROUPS - 1; i += 3) {
            sum += acc[i];
            n++;
        }
        return sum / n;
    }

    /** The whole-frame targets of the frames at times {@code t}: [group][frame]. */
    static int[][] targets(Scene scene, double[] t) {
        int[][] out = new int[FRAME_GROUPS][t.length];
        for (int f = 0; f < t.length; f++) {
            List<WorldObject> visible = scene.visibleAt(t[f]);
            int a = 0;
            for (Attributes.Colour c : Attributes.Colour.values()) {
                put(out, a++, f, visible.stream().filter(o -> o.color() == c).toList(), t[f]);
            }
            for (Attributes.Shape sh : Attributes.Shape.values()) {
                put(out, a++, f, visible.stream().filter(o -> o.shape() == sh).toList(), t[f]);
            }
            out[FRAME_GROUPS - 1][f] = Math.min(5, visible.size());
        }
        return out;
    }

    /** Present or not; where, when exactly one object has the attribute (else no position label). */
    private static void put(int[][] out, int attr, int f, List<WorldObject> having, double t) {
        out[3 * attr][f] = having.isEmpty() ? 0 : 1;
        if (having.size() == 1) {
            double[] c = having.get(0).centreAt(t);
            out[3 * attr + 1][f] = cell(c[0]);
            out[3 * attr + 2][f] = cell(c[1]);
        } else {
            out[3 * attr + 1][f] = LinearHeads.IGNORE;
            out[3 * attr + 2][f] = LinearHeads.IGNORE;
        }
    }

    private static int cell(double v) {
        return Math.max(0, Math.min(GRID - 1, (int) Math.floor(v * GRID)));
    }

    private List<Clip> clips(InstructBlipVideo model) throws IOException {
        List<Scene> scenes = WorldWriter.readScenes(s.world().resolve("scenes.jsonl"));
        Map<String, List<String>> questions = new HashMap<>();
        for (String line : Files.readAllLines(s.world().resolve("qa.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode q = JSON.readTree(line);
                questions.computeIfAbsent(q.get("video").asText(), k -> new ArrayList<>()).add(q.get("question").asText());
            }
        }
        SamplingSpec sampling = SamplingSpec.uniform(s.frames());
        DiskFeatureStore store = new DiskFeatureStore(s.featureStore());
        String tag = BatchMaker.tag(model, sampling, TrainableParts.QFORMER);
        VideoDecoder decoder = new VideoDecoder();
        VideoQa qa = new VideoQa(model, decoder);
        List<Clip> out = new ArrayList<>();
        for (Scene scene : scenes) {
            Path video = s.world().resolve(scene.video());
            String key = store.key(video, tag);
            List<FrameFeatures> features = store.get(key);
            if (features == null) {
                try {
                    features = qa.encode(decoder.sample(new VideoSource.File(video), sampling).frames());
                } catch (VideoDecodeException e) {
                    throw new IOException(video + ": " + e.getMessage(), e);
                }
                store.put(key, features);
            }
            // the frames uniform sampling picks from this clip's frames (at i / fps), as the decoder did
            double[] ts = new double[scene.frameCount()];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = (double) i / scene.fps();
            }
            int[] picked = FrameSelector.select(sampling, ts);
            double[] t = new double[picked.length];
            for (int i = 0; i < picked.length; i++) {
                t[i] = ts[picked[i]];
            }
            if (features.size() != t.length) {
                throw new IOException(video + ": " + features.size() + " frames stored, " + t.length + " expected");
            }
            out.add(new Clip(features, scene, t, targets(scene, t), questions.getOrDefault(scene.video(),
                    List.of("how many objects are there at the beginning?"))));
        }
        return out;
    }
}
