package dev.vidqa.answerer.generate;

import java.util.Arrays;

/**
 * The finished hypotheses of one item of a beam search, shaped like Hugging Face's
 * {@code BeamHypotheses}: {@link #add} offers a step's candidates, {@link #isDone} says whether the
 * search of this item can stop. The scoring is that of transformers' current (vectorised)
 * {@code _beam_search}, which the reference fixtures were made with: the {@code numBeams} best
 * finished hypotheses by {@code sum(logprobs) / generated_len^length_penalty}, and the item is done
 * when no running beam can still beat them (or, with early stopping, once every slot is finished).
 */
final class BeamHypotheses {
    /** A scored token sequence; {@code finished}: it ended (end token or length limit). */
    record Hyp(long[] tokens, float score, boolean finished) {}

    static final float NEG = -1e9f;

    private final int numBeams;
    private final double lengthPenalty;
    private final boolean earlyStopping;
    private Hyp[] finished;
    /** Whether a running beam could still beat the worst finished hypothesis (false: stays false). */
    private boolean improvable = true;

    BeamHypotheses(int numBeams, double lengthPenalty, boolean earlyStopping) {
        this.numBeams = numBeams;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
        this.finished = new Hyp[numBeams];
        Arrays.fill(finished, new Hyp(new long[0], NEG, false));
    }

    /**
     * Offers this step's candidates (best first, accumulated log-probabilities); {@code ended[c]}
     * says candidate c ended. Only the first {@code numBeams} candidates may finish, scored with
     * the length penalty over {@code generatedLen} tokens; the best {@code numBeams} of the
     * finished ones so far and these are kept.
     */
    void add(Hyp[] candidates, boolean[] ended, int generatedLen) {
        boolean full = Arrays.stream(finished).allMatch(Hyp::finished);
        Hyp[] merged = Arrays.copyOf(finished, numBeams + candidates.length);
        for (int c = 0; c < candidates.length; c++) {
            boolean justFinished = ended[c] && c < numBeams;
            float s = (float) (candidates[c].score() / Math.pow(generatedLen, lengthPenalty));
            if (full && earlyStopping) {
                s += NEG;
            }
            if (!improvable) {
                s += NEG;
            }
            if (!justFinished) {
                s += NEG;
            }
            merged[numBeams + c] = new Hyp(candidates[c].tokens(), s, justFinished);
        }
        float[] scores = new float[merged.length];
        for (int i = 0; i < merged.length; i++) {
            scores[i] = merged[i].score();
        }
        int[] best = Generation.topK(scores, numBeams);
        Hyp[] next = new Hyp[numBeams];
        for (int j = 0; j < numBeams; j++) {
            next[j] = merged[best[j]];
        }
        finished = next;
    }

    /**
     * Whether this item's search is over, given the best running beam's accumulated score after
     * {@code generatedLen} tokens and whether the length limit is reached.
     */
    boolean isDone(float bestRunningScore, int generatedLen, boolean lastStep) {
        boolean allFinished = Arrays.stream(finished).allMatch(Hyp::finished);
        float worst = Float.MAX_VALUE;
        for (Hyp h : finished) {
            worst = Math.min(worst, h.score());
        }
        float bestPossible = (float) (bestRunningScore / Math.pow(generatedLen, lengthPenalty));
        boolean anyBetter = false;
        for (Hyp h : finished) {
            anyBetter |= bestPossible > (h.finished() ? worst : NEG);
        }
        improvable &= anyBetter;
        return lastStep || !improvable || (allFinished && earlyStopping);
    }

    /** The best hypothesis kept. */
    Hyp best() {
        return finished[0];
    }
}
