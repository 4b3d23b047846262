package dev.vidqa.frames;

import java.util.ArrayList;
import java.util.List;

/** Frame indices (display order) for a {@link SamplingSpec}; indices may repeat when frames are scarce. */
public final class FrameSelector {
    private FrameSelector() {}

    /**
     * @param timestamps presentation times of all frames in display order, seconds from the start
     */
    public static int[] select(SamplingSpec spec, double[] timestamps) {
        int total = timestamps.length;
        if (total == 0) {
            return new int[0];
        }
        int n = spec.frames();
        return switch (spec.sampling()) {
            case UNIFORM -> {
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = (int) ((long) i * total / n);
                }
                yield idx;
            }
            case HEADTAIL -> {
                int[] idx = new int[n];
                if (total < n) {
                    for (int i = 0; i < n; i++) {
                        idx[i] = Math.min(i, total - 1);
                    }
                } else if (n == 1) {
                    idx[0] = 0;
                } else {
                    for (int i = 0; i < n; i++) {
                        idx[i] = (int) Math.round((double) i * (total - 1) / (n - 1));
                    }
                }
                yield idx;
            }
            case FPS -> byTime(spec, timestamps);
        };
    }

    /** For each target time k/fps (from the first frame on), the frame nearest to it (the earlier on a tie). */
    private static int[] byTime(SamplingSpec spec, double[] t) {
        List<Integer> out = new ArrayList<>();
        double step = 1.0 / spec.fps();
        double start = t[0];
        double end = t[t.length - 1];
        int j = 0;
        for (int k = 0; start + k * step <= end + 1e-9; k++) {
            double target = start + k * step;
            // on a tie (a tick halfway between two frames) the earlier frame wins
            while (j + 1 < t.length && Math.abs(t[j + 1] - target) < Math.abs(t[j] - target) - 1e-9) {
                j++;
            }
            if (out.isEmpty() || out.get(out.size() - 1) != j) {
                out.add(j);
            }
        }
        int[] all = out.stream().mapToInt(Integer::intValue).toArray();
        int cap = spec.frames();
        if (cap == 0 || all.length <= cap) {
            return all;
        }
        // more than the cap: keep an even spread of them
        int[] kept = new int[cap];
        for (int i = 0; i < cap; i++) {
            kept[i] = all[(int) ((long) i * all.length / cap)];
        }
        return kept;
    }
}
