package dev.vidqa.topology.train.world;

import ai.djl.ndarray.NDArray;
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
import dev.vidqa.frames.world.Attributes;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.FrameFeatures;
import dev.vidqa.topology.train.InstructionTemplates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stage 2 of the world recipe: the Q-Former (queries, projection) learns to say what is in each
 * frame before any language model reads it — the small-world stand-in for BLIP-2's first,
 * representation-learning stage. Over each frame's soft prompt (the 8 projected query outputs the
 * LM will read), linear heads predict for every colour and every shape whether an object of it is
 * on screen and where (an 8 x 8 grid cell of its centre), and how many objects there are. The
 * instruction is a real question about the clip under a template, so the Q-Former learns to keep
 * the whole frame whatever it is asked; targets about the object the question names (on screen,
 * colour, shape, cell) on every token; with a frame-position table, which frame each token is
 * from. Targets per colour and per shape, not per pair ({@link DescribeTargets}); none counts against
 * what training never showed with the object's other attribute ({@link SeenPairs}).
 */
public final class QFormerPretraining {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stage's settings; {@code heldOutWorld} (or null) for the held-out check at the end. */
    public record Settings(Path model, Path world, int clips, Path heldOutWorld, Path out, Path featureStore, long steps,
                           int videos, double lr, long warmup, int frames, long seed, DeviceChoice device) {}

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
            SeenPairs pairs = SeenPairs.of(s.world());
            List<Clip> clips = clips(model, pairs);
            out.printf("vidqa train (qformer pretraining): %d clips ready in %.1f s%n", clips.size(),
                    (System.nanoTime() - t0) / 1e9);
            int nq = model.config().numQueryTokens();
            int d = model.config().lmHiddenSize();
            int[] classes = DescribeTargets.classes();
            double[] weights = new double[classes.length];
            java.util.Arrays.fill(weights, 1.0);
            Parameters qformer = Parameters.select(model.weights().loadedArrays(), TrainableParts.QFORMER);
            // the same count and named-object groups once more on every soft-prompt token by itself: the LM
            // reads tokens through attention, so each token must carry them, not only their concatenation
            // and, with a frame-position table, which frame of the window the token is from (the table is
            // the only thing that can tell: the Q-Former sees one frame at a time)
            boolean positions = model.config().numFramePositions() > 0;
            int[] tokenClasses = java.util.Arrays.copyOfRange(classes, DescribeTargets.FRAME_GROUPS - 1,
                    classes.length + (positions ? 1 : 0));
            if (positions) {
                tokenClasses[tokenClasses.length - 1] = s.frames();
            }
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
                        // the named object's colour and shape leave out what training never showed with its other one
                        long[][][] excluded = new long[classes.length][][];
                        excluded[DescribeTargets.FRAME_GROUPS + 1] = new long[s.videos() * s.frames()][];
                        excluded[DescribeTargets.FRAME_GROUPS + 2] = new long[s.videos() * s.frames()][];
                        for (int v = 0; v < s.videos(); v++) {
                            Clip c = clips.get(rnd.nextInt(clips.size()));
                            videos.add(c.features());
                            String q = c.questions().get(rnd.nextInt(c.questions().size()));
                            String template = WorldRecipe.TEMPLATES.get(rnd.nextInt(WorldRecipe.TEMPLATES.size()));
                            instructions.add(model.instructionIds(InstructionTemplates.apply(template, q)));
                            int[][] focus = DescribeTargets.focusTargets(c.scene(), c.times(), q);
                            for (int g = 0; g < classes.length; g++) {
                                int[] from = g < DescribeTargets.FRAME_GROUPS ? c.targets()[g] : focus[g - DescribeTargets.FRAME_GROUPS];
                                System.arraycopy(from, 0, targets[g], v * s.frames(), s.frames());
                            }
                            for (int f = 0; f < s.frames(); f++) {
                                if (focus[1][f] != LinearHeads.IGNORE) {
                                    long[][] left = pairs.objectExclusions(
                                            Attributes.Colour.values()[focus[1][f]], Attributes.Shape.values()[focus[2][f]]);
                                    excluded[DescribeTargets.FRAME_GROUPS + 1][v * s.frames() + f] = left[0];
                                    excluded[DescribeTargets.FRAME_GROUPS + 2][v * s.frames() + f] = left[1];
                                }
                            }
                        }
                        int rows = s.videos() * s.frames();
                        int[][] tokenTargets = new int[tokenClasses.length][rows * nq];
                        long[][][] tokenExcluded = new long[tokenClasses.length][][];
                        for (int g = 2; g <= 3; g++) { // the named object's colour and shape, on every token
                            tokenExcluded[g] = new long[rows * nq][];
                            for (int f = 0; f < rows; f++) {
                                java.util.Arrays.fill(tokenExcluded[g], f * nq, (f + 1) * nq,
                                        excluded[DescribeTargets.FRAME_GROUPS - 1 + g][f]);
                            }
                        }
                        for (int g = 0; g < tokenClasses.length; g++) {
                            for (int f = 0; f < rows; f++) {
                                int target = positions && g == tokenClasses.length - 1 ? f % s.frames()
                                        : targets[DescribeTargets.FRAME_GROUPS - 1 + g][f];
                                java.util.Arrays.fill(tokenTargets[g], f * nq, (f + 1) * nq, target);
                            }
                        }
                        HeadTrainer.StepResult r = trainer.step(m -> {
                            NDArray soft = model.vision().prompt(model.vision().stack(m, videos), instructions, s.frames());
                            // (B, T*nq, D) -> one row per frame: (B*T, 1, nq*D); and per token: (B*T, nq, D)
                            LinearHeads.Value frame = heads.loss(soft.reshape(rows, 1, (long) nq * d), targets, excluded);
                            LinearHeads.Value token = tokenHeads.loss(soft.reshape(rows, nq, d), tokenTargets, tokenExcluded);
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
                                            + " colour %.3f, x %.3f; which frame %.3f; %.0f videos/s%n", step + 1,
                                    s.steps(), lossAvg,
                                    mean(acc, 0), mean(acc, 1), mean(acc, 2), acc[DescribeTargets.FRAME_GROUPS - 1], acc[DescribeTargets.FRAME_GROUPS],
                                    acc[DescribeTargets.FRAME_GROUPS + 1], acc[DescribeTargets.FRAME_GROUPS + 2], acc[DescribeTargets.FRAME_GROUPS + 3],
                                    acc[DescribeTargets.FRAME_GROUPS + 4], acc[classes.length], acc[classes.length + 1],
                                    acc[classes.length + 2], acc[classes.length + 4],
                                    positions ? acc[acc.length - 1] : Double.NaN,
                                    (step + 1) * s.videos() / ((System.nanoTime() - t1) / 1e9));
                        }
                    }
                }
                ObjectNode state = JSON.createObjectNode().put("step", s.steps()).put("train", "qformer")
                        .put("stage", "qformer-pretraining").put("seed", s.seed()).put("lr", s.lr())
                        .put("count_accuracy", acc[DescribeTargets.FRAME_GROUPS - 1]).put("named_on_screen_accuracy", acc[DescribeTargets.FRAME_GROUPS]);
                if (s.heldOutWorld() != null) {
                    DescribeCheck check = new DescribeCheck(model, heads, classes.length,
                            WorldClips.load(model, s.heldOutWorld(), s.featureStore(), s.frames()), s.frames(), s.videos());
                    double[] h = check.namedObject();
                    out.printf("vidqa train (qformer pretraining): held-out clips, the object a question names:"
                            + " colour %.3f shape %.3f when its pair was seen in training, colour %.3f shape %.3f"
                            + " when held out%n", h[0], h[1], h[2], h[3]);
                    state.put("heldout_seen_pairs_colour", h[0]).put("heldout_seen_pairs_shape", h[1])
                            .put("heldout_pairs_colour", h[2]).put("heldout_pairs_shape", h[3]);
                    double[] m = check.maps();
                    out.printf("vidqa train (qformer pretraining): held-out clips, whole-frame maps (present, x, y) of"
                            + " a colour or shape whose objects all have pairs seen in training: colour %.3f %.3f %.3f,"
                            + " shape %.3f %.3f %.3f; all held-out pairs: colour %.3f %.3f %.3f, shape %.3f %.3f %.3f%n",
                            m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11]);
                    state.put("heldout_seen_pairs_shape_present", m[3]).put("heldout_pairs_shape_present", m[9]);
                }
                return new CheckpointWriter(s.out(), 1).write("checkpoint-" + s.steps(), model, null, state);
            }
        }
    }

    /** Mean accuracy of every attribute group with offset {@code k} (0 present, 1 x, 2 y). */
    private static double mean(double[] acc, int k) {
        double sum = 0;
        int n = 0;
        for (int i = k; i < DescribeTargets.FRAME_GROUPS - 1; i += 3) {
            sum += acc[i];
            n++;
        }
        return sum / n;
    }

    private List<Clip> clips(InstructBlipVideo model, SeenPairs pairs) throws IOException {
        List<Clip> out = new ArrayList<>();
        for (WorldClips.Clip c : WorldClips.load(model, s.world(), s.clips(), s.featureStore(), s.frames())) {
            out.add(new Clip(c.features(), c.scene(), c.times(), pairs.withoutUnseenAbsence(DescribeTargets.targets(c.scene(), c.times()), c.scene(), c.times()),
                    c.questions().stream().map(WorldClips.Question::text).toList()));
        }
        return out;
    }
}
