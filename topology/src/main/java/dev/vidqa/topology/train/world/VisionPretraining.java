package dev.vidqa.topology.train.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.train.AdamW;
import dev.vidqa.answerer.train.CheckpointWriter;
import dev.vidqa.answerer.train.Parameters;
import dev.vidqa.answerer.train.HeadTrainer;
import dev.vidqa.answerer.train.LinearHeads;
import dev.vidqa.answerer.train.TrainableParts;
import dev.vidqa.answerer.train.WarmupCosineSchedule;
import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.ImagePreprocessor;
import dev.vidqa.frames.SampledVideo;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.frames.world.Attributes;
import dev.vidqa.frames.world.PatchLabels;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.SceneRenderer;
import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.frames.world.WorldWriter;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.vision.VisionModel;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stage 1 of the world recipe: the vision encoder learns, on every patch of decoded world frames,
 * the colour and shape of the object there and where the patch is (row and column), so that its
 * features — frozen from then on — say what is where in each frame. The paper takes its vision
 * encoder pretrained; this is the small-world stand-in for that pretraining. A patch's colour is
 * not learned against colours its shape never had in training, nor its shape against shapes never
 * seen in its colour ({@link SeenPairs}).
 */
public final class VisionPretraining {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stage's settings. */
    public record Settings(Path model, Path world, int clips, Path heldOutWorld, Path out, long steps, int batch, double lr,
                           long warmup, int framesPerClip, long seed, DeviceChoice device) {
        public Settings {
            if (steps <= 0 || batch <= 0 || !(lr > 0) || framesPerClip <= 0 || clips <= 0) {
                throw new IllegalArgumentException("vision pretraining needs positive clips, steps, batch, lr and frames");
            }
        }
    }

    /** Frames resized to the model's input (bytes) with their patch labels; which are repainted copies. */
    record Frames(List<byte[]> pixels, List<int[][]> labels, List<Boolean> repainted) {}

    private final Settings s;
    private final PrintStream out;

    public VisionPretraining(Settings s, PrintStream out) {
        this.s = s;
        this.out = out;
    }

    /** Trains and writes the checkpoint; returns its directory. */
    public Path run() throws IOException {
        try (InstructBlipVideo model = InstructBlipVideo.loadForTraining(s.model(), s.device())) {
            int size = model.imageSize();
            int patch = model.vision().config().vision().patchSize();
            int grid = size / patch;
            long t0 = System.nanoTime();
            Frames data = frames(s.world(), s.clips(), size, grid, true);
            out.printf("vidqa train (vision): %d frames of %s decoded and labelled in %.1f s%n", data.pixels().size(),
                    s.world(), (System.nanoTime() - t0) / 1e9);
            ImagePreprocessor pre = new ImagePreprocessor(size);
            SeenPairs pairs = SeenPairs.of(s.world());
            Parameters vision = Parameters.select(model.weights().loadedArrays(), TrainableParts.VISION);
            // colour, shape, row, column, object centre here or not
            int[] classes = {1 + Attributes.Colour.values().length, 1 + Attributes.Shape.values().length, grid, grid, 2};
            VisionModel encoder = model.vision().visionModel();
            try (LinearHeads heads = new LinearHeads("patch_heads", encoder.config().hiddenSize(), classes,
                    new double[] {1, 1, 0.25, 0.25, 1}, s.seed())) {
                Parameters params = vision.plus(heads.parameters());
                AdamW adamw = AdamW.paper(params, 0.05);
                WarmupCosineSchedule schedule = WarmupCosineSchedule.paper(s.lr(), s.warmup(), s.steps());
                long t1 = System.nanoTime();
                double[] acc = new double[classes.length];
                double lossAvg = 0;
                try (HeadTrainer trainer = new HeadTrainer(params, adamw, schedule, 1.0)) {
                    for (long step = 0; step < s.steps(); step++) {
                        SplittableRandom rnd = new SplittableRandom(s.seed() * 1_000_003 + step);
                        float[] pixels = new float[s.batch() * 3 * size * size];
                        int[][] targets = new int[classes.length][s.batch() * grid * grid];
                        long[][][] excluded = new long[classes.length][][]; // colour and shape only
                        excluded[0] = new long[s.batch() * grid * grid][];
                        excluded[1] = new long[s.batch() * grid * grid][];
                        for (int b = 0; b < s.batch(); b++) {
                            int i = rnd.nextInt(data.pixels().size());
                            // a repainted view (no colour label) is sometimes shown in grey as well
                            boolean grey = data.repainted().get(i) && rnd.nextDouble() < GREY_SHARE;
                            byte[] rgb = data.pixels().get(i);
                            float[] p = pre.normalize(grey ? ColourFreeViews.grey(rgb, rnd) : rgb);
                            System.arraycopy(p, 0, pixels, b * p.length, p.length);
                            int[][] l = data.labels().get(i);
                            long[][][] left = pairs.patchExclusions(l);
                            for (int k = 0; k < grid * grid; k++) {
                                excluded[0][b * grid * grid + k] = left[0][k];
                                excluded[1][b * grid * grid + k] = left[1][k];
                                targets[0][b * grid * grid + k] = l[0][k];
                                targets[1][b * grid * grid + k] = l[1][k];
                                targets[2][b * grid * grid + k] = k / grid;
                                targets[3][b * grid * grid + k] = k % grid;
                                targets[4][b * grid * grid + k] = l[2][k];
                            }
                        }
                        HeadTrainer.StepResult r = trainer.step(m -> {
                            // (N,3,S,S) -> (N,1+P,D) -> the patches (N,P,D): the class token has no place
                            NDArray hidden = encoder.forward(m.create(pixels, new Shape(s.batch(), 3, size, size)));
                            return heads.loss(hidden.get(new NDIndex(":, 1:, :")), targets, excluded);
                        });
                        lossAvg = step == 0 ? r.loss() : 0.95 * lossAvg + 0.05 * r.loss();
                        for (int g = 0; g < acc.length; g++) {
                            acc[g] = step == 0 ? r.accuracy()[g] : 0.95 * acc[g] + 0.05 * r.accuracy()[g];
                        }
                        if ((step + 1) % 50 == 0 || step + 1 == s.steps()) {
                            double rate = (step + 1) * s.batch() / ((System.nanoTime() - t1) / 1e9);
                            out.printf("vidqa train (vision): step %d/%d loss %.4f patch accuracy colour %.3f shape %.3f"
                                            + " row %.3f column %.3f centre %.3f, %.0f frames/s%n", step + 1, s.steps(),
                                    lossAvg, acc[0], acc[1], acc[2], acc[3], acc[4], rate);
                        }
                    }
                    ObjectNode state = JSON.createObjectNode().put("step", s.steps()).put("train", "vision")
                            .put("stage", "vision").put("seed", s.seed()).put("lr", s.lr()).put("batch", s.batch())
                            .put("colour_accuracy", acc[0]).put("shape_accuracy", acc[1])
                            .put("seconds", (System.nanoTime() - t1) / 1e9);
                    if (s.heldOutWorld() != null) {
                        double[] h = heldOut(model.vision().device(), encoder, heads, pre, size, grid);
                        out.printf("vidqa train (vision): held-out object patches: colour %.3f shape %.3f on pairs"
                                + " seen in training, colour %.3f shape %.3f on held-out pairs%n", h[0], h[1], h[2], h[3]);
                        state.put("heldout_seen_pairs_colour", h[0]).put("heldout_seen_pairs_shape", h[1])
                                .put("heldout_pairs_colour", h[2]).put("heldout_pairs_shape", h[3]);
                    }
                    return new CheckpointWriter(s.out(), 1).write("checkpoint-" + s.steps(), model, null, state);
                }
            }
        }
    }

    /** The share of training frames that also get a repainted copy ({@link ColourFreeViews#recolour}). */
    static final double REPAINT_SHARE = 0.5;
    /** The share of repainted copies shown in grey as well ({@link ColourFreeViews#grey}). */
    static final double GREY_SHARE = 0.25;

    /**
     * The heads' accuracy on the object patches of held-out frames: colour and shape on objects
     * whose colour-shape pair training had, then on the held-out pairs (does shape survive a new colour?).
     */
    private double[] heldOut(ai.djl.Device device, VisionModel encoder, LinearHeads heads, ImagePreprocessor pre, int size, int grid)
            throws IOException {
        Frames data = frames(s.heldOutWorld(), Integer.MAX_VALUE, size, grid, false);
        long[] right = new long[4];
        long[] total = new long[4];
        int batch = 64;
        for (int from = 0; from < data.pixels().size(); from += batch) {
            int n = Math.min(batch, data.pixels().size() - from);
            float[] pixels = new float[n * 3 * size * size];
            int[][][] targets = new int[2][5][n * grid * grid]; // [seen|held][colour,shape,row,col,centre]
            for (int b = 0; b < n; b++) {
                float[] p = pre.normalize(data.pixels().get(from + b));
                System.arraycopy(p, 0, pixels, b * p.length, p.length);
                int[][] l = data.labels().get(from + b);
                for (int k = 0; k < grid * grid; k++) {
                    int at = b * grid * grid + k;
                    boolean object = l[0][k] > 0;
                    boolean held = object && new WorldSplit.Combo(Attributes.Colour.values()[l[0][k] - 1],
                            Attributes.Shape.values()[l[1][k] - 1]).heldOut();
                    for (int set = 0; set < 2; set++) {
                        boolean in = object && (set == 1) == held;
                        targets[set][0][at] = in ? l[0][k] : LinearHeads.IGNORE;
                        targets[set][1][at] = in ? l[1][k] : LinearHeads.IGNORE;
                        targets[set][2][at] = LinearHeads.IGNORE;
                        targets[set][3][at] = LinearHeads.IGNORE;
                        targets[set][4][at] = LinearHeads.IGNORE;
                    }
                }
            }
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(device)) {
                NDArray hidden = encoder.forward(m.create(pixels, new Shape(n, 3, size, size)))
                        .get(new NDIndex(":, 1:, :"));
                for (int set = 0; set < 2; set++) {
                    int labelled = (int) java.util.Arrays.stream(targets[set][0]).filter(t -> t != LinearHeads.IGNORE).count();
                    if (labelled == 0) {
                        continue;
                    }
                    double[] acc = heads.loss(hidden, targets[set]).accuracy();
                    right[2 * set] += Math.round(acc[0] * labelled);
                    right[2 * set + 1] += Math.round(acc[1] * labelled);
                    total[2 * set] += labelled;
                    total[2 * set + 1] += labelled;
                }
            }
        }
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            out[i] = total[i] == 0 ? Double.NaN : right[i] / (double) total[i];
        }
        return out;
    }

    /** Decoded frames with their patch labels; with {@code augment}, repainted copies of some (colour ignored). */
    private Frames frames(Path world, int clips, int size, int grid, boolean augment) throws IOException {
        SplittableRandom rnd = new SplittableRandom(s.seed() * 31 + 5);
        List<Scene> scenes = WorldWriter.readScenes(world.resolve("scenes.jsonl"));
        scenes = scenes.subList(0, Math.min(clips, scenes.size())); // the first clips of the world
        VideoDecoder decoder = new VideoDecoder();
        ImagePreprocessor pre = new ImagePreprocessor(size);
        List<byte[]> pixels = new ArrayList<>();
        List<int[][]> labels = new ArrayList<>();
        List<Boolean> repainted = new ArrayList<>();
        for (Scene scene : scenes) {
            SampledVideo v;
            try {
                v = decoder.sample(new VideoSource.File(world.resolve(scene.video())),
                        SamplingSpec.uniform(s.framesPerClip()));
            } catch (VideoDecodeException e) {
                throw new IOException(scene.video() + ": " + e.getMessage(), e);
            }
            SceneRenderer renderer = new SceneRenderer(scene);
            for (DecodedFrame f : v.frames()) {
                int[][] l = PatchLabels.at(renderer, f.timestamp(), grid);
                pixels.add(pre.resize(f.rgb(), f.width(), f.height()));
                labels.add(l);
                repainted.add(false);
                if (!augment) {
                    continue;
                }
                if (f.width() != scene.width() || f.height() != scene.height()) {
                    throw new IOException(scene.video() + ": decoded at " + f.width() + "x" + f.height() + ", the scene is "
                            + scene.width() + "x" + scene.height());
                }
                if (rnd.nextDouble() < REPAINT_SHARE) {
                    // the same outlines in colours no world object wears: shape only (see ColourFreeViews)
                    int[] none = new int[l[0].length];
                    java.util.Arrays.fill(none, LinearHeads.IGNORE);
                    byte[] other = ColourFreeViews.recolour(f.rgb(), renderer.labels(f.timestamp()), scene, rnd);
                    pixels.add(pre.resize(other, f.width(), f.height()));
                    labels.add(new int[][] {none, l[1], l[2]});
                    repainted.add(true);
                }
            }
        }
        return new Frames(pixels, labels, repainted);
    }
}
