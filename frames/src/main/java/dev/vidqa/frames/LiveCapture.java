package dev.vidqa.frames;

import dev.vidqa.frames.VideoDecodeException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;

/**
 * Capture from a (possibly live) source: reads {@code window} of stream time, as it arrives, and
 * keeps the frames nearest to evenly spaced times in it (uniform/headtail: {@code frames} over the
 * window; fps: every {@code 1/fps} seconds). Nothing can be indexed or sought on a live source, so
 * this is one pass that keeps only the picks and the frame before the next one.
 */
final class LiveCapture {
    private LiveCapture() {}

    static SampledVideo capture(VideoSource source, DecodeLimits limits, Duration window, SamplingSpec spec)
            throws VideoDecodeException {
        double length = window.toMillis() / 1000.0;
        if (!(length > 0)) {
            throw new IllegalArgumentException("capture window must be positive");
        }
        double[] targets;
        if (spec.sampling() == Sampling.FPS) {
            int n = (int) Math.floor(length * spec.fps()) + 1;
            if (spec.frames() > 0) {
                n = Math.min(n, spec.frames());
            }
            targets = new double[n];
            for (int i = 0; i < n; i++) {
                targets[i] = i / spec.fps();
            }
        } else {
            int n = spec.frames();
            targets = new double[n];
            for (int i = 0; i < n; i++) {
                targets[i] = spec.sampling() == Sampling.UNIFORM ? i * length / n
                        : n == 1 ? 0 : i * length / (n - 1);
            }
        }
        try (OpenVideo o = new OpenVideo(source, limits)) {
            o.keepPixels = limits.pixelsPerFrame(targets.length + 1); // the picks and the frame before
            List<DecodedFrame> out = new ArrayList<>();
            DecodedFrame prev = null;
            Double first = null;
            int count = 0;
            int next = 0;
            Frame f;
            while (next < targets.length && (f = o.next(true)) != null) {
                DecodedFrame d = o.toFrame(f, count++);
                if (first == null) {
                    first = d.timestamp();
                }
                double t = d.timestamp() - first;
                while (next < targets.length && t >= targets[next]) {
                    boolean prevNearer = prev != null && targets[next] - (prev.timestamp() - first) < t - targets[next];
                    out.add(prevNearer ? prev : d);
                    next++;
                }
                if (t > length) {
                    break;
                }
                prev = d;
            }
            if (out.isEmpty() && prev != null) {
                out.add(prev);
            }
            if (out.isEmpty()) {
                throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": no decodable video frame");
            }
            while (out.size() < targets.length && spec.sampling() != Sampling.FPS) {
                out.add(out.get(out.size() - 1)); // the stream ended early
            }
            return new SampledVideo(o.info, out, count, false);
        }
        }
}
