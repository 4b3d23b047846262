package dev.vidqa.answerer.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.answerer.LmSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Vocabulary ranking: the log-probability of each candidate answer given the video and prompt,
 * teacher-forced. The prompt (T5: encoder pass and start token; LLaMA: prompt cache) is computed
 * once per video; candidates are scored in forks of that state, {@code chunk} at a time.
 */
public final class CandidateScorer {
    private CandidateScorer() {}

    /**
     * @param session one row per video, positioned right after the prompt
     * @param candidates token ids of each candidate (with its end token where the model uses one)
     * @return [video][candidate][token] log-probabilities
     */
    public static float[][][] tokenLogProbs(LmSession session, List<long[]> candidates, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive");
        }
        for (int c = 0; c < candidates.size(); c++) {
            if (candidates.get(c).length == 0) {
                throw new IllegalArgumentException("candidate " + c + " has no tokens");
            }
        }
        float[][][] out = new float[session.rows()][candidates.size()][];
        for (int video = 0; video < session.rows(); video++) {
            for (int from = 0; from < candidates.size(); from += chunk) {
                List<long[]> part = candidates.subList(from, Math.min(candidates.size(), from + chunk));
                float[][] scores = score(session, video, part);
                System.arraycopy(scores, 0, out[video], from, scores.length);
            }
        }
        return out;
    }

    private static float[][] score(LmSession session, int video, List<long[]> cands) {
        int n = cands.size();
        int[] rows = new int[n];
        Arrays.fill(rows, video);
        int maxLen = cands.stream().mapToInt(c -> c.length).max().orElse(1);
        float[][] out = new float[n][];
        try (LmSession fork = session.fork(rows); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDManager m = fork.nextLogits().getManager();
            // first token from the prompt's last position
            long[] first = new long[n];
            for (int c = 0; c < n; c++) {
                first[c] = cands.get(c)[0];
            }
            float[] firstLp = fork.nextLogits().logSoftmax(-1)
                    .gather(m.create(first, new Shape(n, 1)), 1).toFloatArray();
            float[] rest = new float[0];
            if (maxLen > 1) {
                // feed tokens 0..len-2 (right-padded); position i predicts token i+1
                long[][] in = new long[n][maxLen - 1];
                long[] target = new long[n * (maxLen - 1)];
                for (int c = 0; c < n; c++) {
                    long[] cand = cands.get(c);
                    for (int i = 0; i < maxLen - 1; i++) {
                        in[c][i] = i < cand.length - 1 ? cand[i] : cand[cand.length - 1];
                        target[c * (maxLen - 1) + i] = i + 1 < cand.length ? cand[i + 1] : 0;
                    }
                }
                NDArray logits = fork.feed(in);
                rest = logits.logSoftmax(-1).gather(m.create(target, new Shape(n, maxLen - 1, 1)), 2).toFloatArray();
                logits.close();
            }
            for (int c = 0; c < n; c++) {
                long[] cand = cands.get(c);
                float[] lp = new float[cand.length];
                lp[0] = firstLp[c];
                for (int i = 1; i < cand.length; i++) {
                    lp[i] = rest[c * (maxLen - 1) + i - 1];
                }
                out[c] = lp;
            }
        }
        return out;
    }

    /** Sum of a candidate's token log-probabilities: the ranking score. */
    public static double total(float[] tokenLogProbs) {
        double s = 0;
        for (float v : tokenLogProbs) {
            s += v;
        }
        return s;
    }

    /** Candidate indices by descending score (stable). */
    public static List<Integer> ranking(double[] scores) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> Double.compare(scores[b], scores[a]));
        return idx;
    }
}
