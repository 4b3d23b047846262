package dev.vidqa.topology.train.world;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.answerer.train.LinearHeads;
import dev.vidqa.frames.world.Attributes;
import dev.vidqa.frames.world.WorldObject;
import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.qformer.FrameFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The describing stage's held-out check ({@link QFormerPretraining}): its heads, over the soft
 * prompts of held-out clips, split by whether the colour-shape pairs involved were seen in
 * training or held out — where the Q-Former learns "which shapes each colour comes in" instead of
 * shape, the held-out side shows it.
 */
final class DescribeCheck {
    private final InstructBlipVideo model;
    private final LinearHeads heads;
    private final int groups;
    private final List<WorldClips.Clip> clips;
    private final int frames;
    private final int batch;

    /** {@code heads} over each frame's whole soft prompt, with {@code groups} groups ({@link DescribeTargets#classes}). */
    DescribeCheck(InstructBlipVideo model, LinearHeads heads, int groups, List<WorldClips.Clip> clips, int frames,
                  int batch) {
        this.model = model;
        this.heads = heads;
        this.groups = groups;
        this.clips = clips;
        this.frames = frames;
        this.batch = batch;
    }

    /**
     * The named-object heads on held-out clips: colour and shape of the object each question
     * names, over the frames it is on screen; first where its colour-shape pair was in training,
     * then where it was held out (can the Q-Former say "square" of a yellow square it never saw?).
     * Each only where the question does not name it: colour for "what color is the square?", shape
     * for "what shape is the yellow object?" — of "is there a yellow square?" the heads could just
     * repeat the question's words, and counting those made the check look far better on held-out
     * pairs than the answers were.
     */
    double[] namedObject() {
        double[] out = new double[4];
        for (int set = 0; set < 2; set++) {
            List<WorldClips.Clip> videoOf = new ArrayList<>();
            List<String> questions = new ArrayList<>();
            for (WorldClips.Clip c : clips) {
                for (WorldClips.Question q : c.questions()) {
                    WorldObject o = DescribeTargets.named(c.scene(), q.text());
                    if (o != null && new WorldSplit.Combo(o.color(), o.shape()).heldOut() == (set == 1)) {
                        videoOf.add(c);
                        questions.add(q.text());
                    }
                }
            }
            long[] right = new long[2];
            long[] total = new long[2];
            for (int from = 0; from < questions.size(); from += batch) {
                int n = Math.min(batch, questions.size() - from);
                int rows = n * frames;
                int[][] targets = new int[groups][rows];
                for (int[] row : targets) {
                    Arrays.fill(row, LinearHeads.IGNORE);
                }
                List<List<FrameFeatures>> videos = new ArrayList<>();
                List<long[]> instructions = new ArrayList<>();
                for (int v = 0; v < n; v++) {
                    WorldClips.Clip c = videoOf.get(from + v);
                    videos.add(c.features());
                    instructions.add(model.instructionIds(questions.get(from + v)));
                    int[][] focus = DescribeTargets.focusTargets(c.scene(), c.times(), questions.get(from + v));
                    for (int k = 0; k < 2; k++) { // the named object's colour, shape: unless the question says it
                        if (!DescribeTargets.names(questions.get(from + v), k == 0)) {
                            System.arraycopy(focus[1 + k], 0, targets[DescribeTargets.FRAME_GROUPS + 1 + k], v * frames,
                                    frames);
                        }
                    }
                }
                int[] labelled = new int[2];
                for (int k = 0; k < 2; k++) {
                    labelled[k] = (int) Arrays.stream(targets[DescribeTargets.FRAME_GROUPS + 1 + k])
                            .filter(t -> t != LinearHeads.IGNORE).count();
                }
                if (labelled[0] + labelled[1] == 0) {
                    continue;
                }
                double[] acc = accuracy(videos, instructions, targets)[0];
                for (int k = 0; k < 2; k++) {
                    right[k] += Math.round(acc[DescribeTargets.FRAME_GROUPS + 1 + k] * labelled[k]);
                    total[k] += labelled[k];
                }
            }
            out[2 * set] = total[0] == 0 ? Double.NaN : right[0] / (double) total[0];
            out[2 * set + 1] = total[1] == 0 ? Double.NaN : right[1] / (double) total[1];
        }
        return out;
    }

    /**
     * The whole-frame colour and shape maps on held-out clips, under a question that names nothing:
     * for each frame and each colour or shape on screen, present / x / y, where every object with it
     * has a pair seen in training and where every one has a held-out pair ({@link DescribeTargets#pairs};
     * frames with both left out). Returns [seen: colour p,x,y, shape p,x,y; held-out: the same].
     */
    double[] maps() {
        int colours = Attributes.Colour.values().length;
        double[] right = new double[12];
        double[] total = new double[12];
        for (int from = 0; from < clips.size(); from += batch) {
            int n = Math.min(batch, clips.size() - from);
            int rows = n * frames;
            List<List<FrameFeatures>> videos = new ArrayList<>();
            List<long[]> instructions = new ArrayList<>();
            // [bucket][group][row]: the targets of the attributes in that bucket, the rest ignored
            int[][][] targets = new int[2][groups][rows];
            for (int[][] bucket : targets) {
                for (int[] row : bucket) {
                    Arrays.fill(row, LinearHeads.IGNORE);
                }
            }
            for (int v = 0; v < n; v++) {
                WorldClips.Clip c = clips.get(from + v);
                videos.add(c.features());
                instructions.add(model.instructionIds("how many objects are there at the beginning?"));
                int[][] t = DescribeTargets.targets(c.scene(), c.times());
                for (int f = 0; f < frames; f++) {
                    List<WorldObject> visible = c.scene().visibleAt(c.times()[f]);
                    for (int a = 0; a < DescribeTargets.ATTRIBUTES; a++) {
                        DescribeTargets.Pairs p = DescribeTargets.pairs(visible, a);
                        if (p == DescribeTargets.Pairs.SEEN || p == DescribeTargets.Pairs.HELD_OUT) {
                            int bucket = p == DescribeTargets.Pairs.SEEN ? 0 : 1;
                            for (int k = 0; k < 3; k++) {
                                targets[bucket][3 * a + k][v * frames + f] = t[3 * a + k][f];
                            }
                        }
                    }
                }
            }
            double[][] acc = accuracy(videos, instructions, targets);
            for (int bucket = 0; bucket < 2; bucket++) {
                for (int g = 0; acc[bucket] != null && g < DescribeTargets.FRAME_GROUPS - 1; g++) {
                    long labelled = Arrays.stream(targets[bucket][g]).filter(x -> x != LinearHeads.IGNORE).count();
                    int slot = 6 * bucket + (g / 3 < colours ? 0 : 3) + g % 3;
                    right[slot] += acc[bucket][g] * labelled;
                    total[slot] += labelled;
                }
            }
        }
        double[] out = new double[12];
        for (int i = 0; i < 12; i++) {
            out[i] = total[i] == 0 ? Double.NaN : right[i] / total[i];
        }
        return out;
    }

    /**
     * The heads over the soft prompts of {@code videos} under {@code instructions}, once per set of
     * targets: each group's accuracy (null for a set with no label at all).
     */
    private double[][] accuracy(List<List<FrameFeatures>> videos, List<long[]> instructions, int[][]... targetSets) {
        int nq = model.config().numQueryTokens();
        int d = model.config().lmHiddenSize();
        double[][] out = new double[targetSets.length][];
        try (NDManager m = NDManager.newBaseManager(model.vision().device())) {
            // (B, T*nq, D) -> one row per frame (B*T, 1, nq*D), as the heads were trained
            NDArray soft = model.vision().prompt(model.vision().stack(m, videos), instructions, frames)
                    .reshape((long) videos.size() * frames, 1, (long) nq * d);
            for (int i = 0; i < targetSets.length; i++) {
                boolean labelled = Arrays.stream(targetSets[i]).flatMapToInt(Arrays::stream)
                        .anyMatch(x -> x != LinearHeads.IGNORE);
                out[i] = labelled ? heads.loss(soft, targetSets[i]).accuracy() : null;
            }
        }
        return out;
    }
}
