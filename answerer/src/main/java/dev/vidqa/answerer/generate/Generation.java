package dev.vidqa.answerer.generate;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.LmSession;
import dev.vidqa.answerer.generate.BeamHypotheses.Hyp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Greedy and beam-search decoding over an {@link LmSession}, reproducing Hugging Face's
 * {@code generate}: greedy applies the logits processors to the raw logits; beam search works
 * in log-probability space, keeps {@code max(2, 1 + ends) * beams} continuations per step,
 * finishes hypotheses on an end token or the length limit with score
 * {@code sum(logprobs) / new_tokens^length_penalty}, and stops early once every beam slot holds
 * a finished hypothesis. Each item's finished hypotheses are a {@link BeamHypotheses} ({@code add} /
 * {@code isDone}, as in Hugging Face).
 */
public final class Generation {
    private static final float NEG = BeamHypotheses.NEG;

    private Generation() {}

    /**
     * Decodes one answer per session row.
     *
     * @param penaltyContexts per row, the tokens already in context that the repetition penalty
     *     also covers (T5: the decoder start token; LLaMA: the prompt)
     */
    public static List<Sequence> generate(LmSession session, GenerationOptions o, StopRules stop,
                                          List<long[]> penaltyContexts) {
        if (penaltyContexts.size() != session.rows()) {
            throw new IllegalArgumentException(penaltyContexts.size() + " contexts for " + session.rows() + " rows");
        }
        return o.numBeams() == 1 ? greedy(session, o, stop, penaltyContexts) : beam(session, o, stop, penaltyContexts);
    }

    static List<Sequence> greedy(LmSession session, GenerationOptions o, StopRules stop, List<long[]> contexts) {
        int rows = session.rows();
        Set<Long> ends = stop.endIds();
        long[][] generated = new long[rows][0];
        double[] score = new double[rows];
        Sequence[] out = new Sequence[rows];
        List<Integer> active = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            active.add(r);
        }
        for (int step = 0; step < o.maxNewTokens(); step++) {
            float[] logits = session.nextLogits().toFloatArray();
            int vocab = logits.length / active.size();
            long[] chosen = new long[active.size()];
            List<Integer> stillActive = new ArrayList<>();
            List<Integer> keepRows = new ArrayList<>();
            for (int i = 0; i < active.size(); i++) {
                int r = active.get(i);
                float[] row = Arrays.copyOfRange(logits, i * vocab, (i + 1) * vocab);
                penalise(row, o.repetitionPenalty(), contexts.get(r), generated[r]);
                if (step < o.minNewTokens()) {
                    suppress(row, ends);
                }
                int best = argmax(row);
                score[r] += row[best] - logSumExp(row);
                generated[r] = append(generated[r], best);
                chosen[i] = best;
                FinishReason why = stop.check(generated[r]);
                if (why == null && step + 1 == o.maxNewTokens()) {
                    why = FinishReason.LENGTH;
                }
                if (why != null) {
                    out[r] = new Sequence(generated[r], score[r], why);
                } else {
                    stillActive.add(r);
                    keepRows.add(i);
                }
            }
            if (stillActive.isEmpty()) {
                break;
            }
            if (stillActive.size() < active.size()) {
                session.select(keepRows.stream().mapToInt(Integer::intValue).toArray());
            }
            long[] feed = new long[keepRows.size()];
            for (int i = 0; i < feed.length; i++) {
                feed[i] = chosen[keepRows.get(i)];
            }
            session.step(feed);
            active = stillActive;
        }
        return Arrays.asList(out);
    }

    static List<Sequence> beam(LmSession session, GenerationOptions o, StopRules stop, List<long[]> contexts) {
        int items = session.rows();
        int k = o.numBeams();
        Set<Long> ends = stop.endIds();
        int keep = Math.max(2, 1 + ends.size()) * k;
        double lp = o.lengthPenalty();

        Hyp[][] running = new Hyp[items][k];
        BeamHypotheses[] finished = new BeamHypotheses[items];
        for (int b = 0; b < items; b++) {
            for (int j = 0; j < k; j++) {
                // only beam 0 is live at first, so the first step does not pick the same token k times
                running[b][j] = new Hyp(new long[0], j == 0 ? 0f : NEG, false);
            }
            finished[b] = new BeamHypotheses(k, lp, o.earlyStopping());
        }
        int[] expand = new int[items * k];
        for (int i = 0; i < expand.length; i++) {
            expand[i] = i / k;
        }
        session.select(expand);

        List<Integer> active = new ArrayList<>();
        for (int b = 0; b < items; b++) {
            active.add(b);
        }
        for (int cur = 0; !active.isEmpty(); cur++) {
            NDArray logProbs = session.nextLogits().logSoftmax(-1);
            float[] all = logProbs.toFloatArray();
            logProbs.close();
            int vocab = all.length / (active.size() * k);
            boolean lastStep = cur + 1 >= o.maxNewTokens();

            List<Integer> stillActive = new ArrayList<>();
            List<Integer> sourceRows = new ArrayList<>();
            List<Long> nextTokens = new ArrayList<>();
            for (int a = 0; a < active.size(); a++) {
                int b = active.get(a);
                // accumulated scores of every (beam, token) continuation, flattened beam-major
                float[] acc = new float[k * vocab];
                for (int j = 0; j < k; j++) {
                    int row = a * k + j;
                    float[] r = Arrays.copyOfRange(all, row * vocab, (row + 1) * vocab);
                    penalise(r, o.repetitionPenalty(), contexts.get(b), running[b][j].tokens());
                    if (cur < o.minNewTokens()) {
                        suppress(r, ends);
                    }
                    for (int v = 0; v < vocab; v++) {
                        acc[j * vocab + v] = r[v] + running[b][j].score();
                    }
                }
                int[] top = topK(acc, keep);
                Hyp[] cand = new Hyp[keep];
                int[] candBeam = new int[keep];
                boolean[] hit = new boolean[keep];
                for (int c = 0; c < keep; c++) {
                    int beam = top[c] / vocab;
                    long token = top[c] % vocab;
                    candBeam[c] = beam;
                    long[] seq = append(running[b][beam].tokens(), token);
                    hit[c] = lastStep || stop.check(seq) != null;
                    cand[c] = new Hyp(seq, acc[top[c]], hit[c]);
                }

                // the best k unfinished continuations carry on
                float[] runScores = new float[keep];
                for (int c = 0; c < keep; c++) {
                    runScores[c] = cand[c].score() + (hit[c] ? NEG : 0f);
                }
                int[] nextIdx = topK(runScores, k);
                Hyp[] nextRunning = new Hyp[k];
                for (int j = 0; j < k; j++) {
                    int c = nextIdx[j];
                    nextRunning[j] = new Hyp(cand[c].tokens(), runScores[c], false);
                }

                // finished: only the top k continuations may finish, length-penalised, merged with earlier ones
                finished[b].add(cand, hit, cur + 1);
                running[b] = nextRunning;
                boolean done = finished[b].isDone(nextRunning[0].score(), cur + 1, lastStep);
                if (!done) {
                    stillActive.add(b);
                    for (int j = 0; j < k; j++) {
                        sourceRows.add(a * k + candBeam[nextIdx[j]]);
                        long[] t = nextRunning[j].tokens();
                        nextTokens.add(t[t.length - 1]);
                    }
                }
            }
            if (stillActive.isEmpty()) {
                break;
            }
            session.select(sourceRows.stream().mapToInt(Integer::intValue).toArray());
            session.step(nextTokens.stream().mapToLong(Long::longValue).toArray());
            active = stillActive;
        }

        List<Sequence> out = new ArrayList<>();
        for (int b = 0; b < items; b++) {
            Hyp h = finished[b].best();
            FinishReason why = stop.check(h.tokens());
            out.add(new Sequence(h.tokens(), h.score(), why == null ? FinishReason.LENGTH : why));
        }
        return out;
    }

    /**
     * The repetition penalty: scores of tokens present in the context or already generated are
     * divided by {@code penalty} when positive and multiplied when negative (each token once).
     */
    static void penalise(float[] row, double penalty, long[] context, long[] generated) {
        if (penalty == 1.0) {
            return;
        }
        Set<Long> seen = new HashSet<>();
        for (long t : context) {
            seen.add(t);
        }
        for (long t : generated) {
            seen.add(t);
        }
        float p = (float) penalty;
        for (long t : seen) {
            if (t >= 0 && t < row.length) {
                float s = row[(int) t];
                row[(int) t] = s < 0 ? s * p : s / p;
            }
        }
    }

    static void suppress(float[] row, Set<Long> ids) {
        for (long t : ids) {
            if (t >= 0 && t < row.length) {
                row[(int) t] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    static double logSumExp(float[] row) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /** Indices of the {@code n} largest values, largest first; ties keep the lower index first. */
    static int[] topK(float[] values, int n) {
        int[] idx = new int[n];
        float[] val = new float[n];
        Arrays.fill(val, Float.NEGATIVE_INFINITY);
        Arrays.fill(idx, -1);
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (idx[n - 1] != -1 && !(v > val[n - 1])) {
                continue;
            }
            int pos = n - 1;
            while (pos > 0 && (idx[pos - 1] == -1 || v > val[pos - 1])) {
                val[pos] = val[pos - 1];
                idx[pos] = idx[pos - 1];
                pos--;
            }
            val[pos] = v;
            idx[pos] = i;
        }
        return idx;
    }

    static long[] append(long[] a, long t) {
        long[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = t;
        return out;
    }
}
