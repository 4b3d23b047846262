package dev.vidqa.frames;

import dev.vidqa.frames.VideoDecodeException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes video with FFmpeg (JavaCV) under {@link DecodeLimits}. Frames are RGB, timestamps are
 * relative to the start of the stream, and anything before a source's first keyframe is dropped
 * (a chunk cut mid-GOP would otherwise yield garbage frames).
 *
 * <p>Sampling indexes the source by its packets first (cheap: no decoding), picks frames on the
 * resulting timeline, then either seeks to each (MP4/Matroska, verified by timestamp) or decodes
 * once in order, converting only the chosen frames to RGB.
 *
 * <p>Instances are stateless and thread-safe; every call opens its own FFmpeg context.
 */
public final class VideoDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(VideoDecoder.class);

    static {
        FFmpegLogs.quiet();
    }

    private final DecodeLimits limits;

    public VideoDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    public VideoDecoder() {
        this(DecodeLimits.DEFAULTS);
    }

    public DecodeLimits limits() {
        return limits;
    }

    /** Opens the source and reports what it holds, without decoding. */
    public VideoInfo probe(VideoSource source) throws VideoDecodeException {
        try (OpenVideo o = open(source)) {
            return o.info;
        }
    }

    /** Decodes every frame (bounded by the limits) and hands each to {@code sink}; returns the count. */
    public int forEachFrame(VideoSource source, Consumer<DecodedFrame> sink) throws VideoDecodeException {
        try (OpenVideo o = open(source)) {
            int count = 0;
            Frame f;
            while ((f = o.next(true)) != null) {
                sink.accept(o.toFrame(f, count++));
            }
            if (count == 0) {
                throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": no decodable video frame");
            }
            return count;
        }
    }

    /** All frames (small sources: every frame is held in memory as RGB). */
    public List<DecodedFrame> decodeAll(VideoSource source) throws VideoDecodeException {
        List<DecodedFrame> out = new ArrayList<>();
        forEachFrame(source, out::add);
        return out;
    }

    /** Decodes every frame without converting it to RGB; returns the count (the fastest full decode). */
    public int countFrames(VideoSource source) throws VideoDecodeException {
        try (OpenVideo o = open(source)) {
            int count = 0;
            while (o.next(false) != null) {
                count++;
            }
            return count;
        }
    }

    /**
     * The frames {@code spec} selects from a finite source (file, chunk, or a URL that ends). For
     * live streams use {@link #capture}.
     */
    public SampledVideo sample(VideoSource source, SamplingSpec spec) throws VideoDecodeException {
        return sample(source, spec, null);
    }

    /**
     * As {@link #sample(VideoSource, SamplingSpec)}, each decoded frame handed to {@code shrink} at
     * once and only its result kept: a caller that needs frames at a fixed small size (the stream
     * stores them at the model's) resizes from the full frame while one full frame at a time is
     * alive. Without {@code shrink} (null), frames are box-filtered to stay within
     * {@link DecodeLimits#maxHeldPixels}.
     */
    public SampledVideo sample(VideoSource source, SamplingSpec spec, java.util.function.UnaryOperator<DecodedFrame> shrink)
            throws VideoDecodeException {
        double[] timeline;
        VideoInfo info;
        boolean seekable;
        try (OpenVideo o = open(source)) {
            info = o.info;
            timeline = o.indexByPackets();
            seekable = o.seekable();
        }
        if (timeline == null) {
            timeline = timelineByDecoding(source);
        }
        if (timeline.length == 0) {
            throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": no decodable video frame");
        }
        int[] picks = FrameSelector.select(spec, timeline);
        if (picks.length == 0) {
            throw new VideoDecodeException(Reason.NO_FRAMES, source.describe() + ": the sampling selected no frame");
        }
        int[] distinct = Arrays.stream(picks).distinct().sorted().toArray();
        // Seeking pays when the picks are sparse: each seek decodes from the previous keyframe.
        if (seekable && distinct.length * 8 < timeline.length) {
            List<DecodedFrame> sought = seek(source, timeline, distinct, shrink);
            if (sought != null) {
                return new SampledVideo(info, expand(picks, distinct, sought), timeline.length, true);
            }
        }
        return new SampledVideo(info, expand(picks, distinct, sequential(source, distinct, timeline.length, shrink)),
                timeline.length, false);
    }

    /** Frames for {@code picks} (which may repeat) from the decoded {@code distinct} ones. */
    private static List<DecodedFrame> expand(int[] picks, int[] distinct, List<DecodedFrame> decoded) {
        Map<Integer, DecodedFrame> byIndex = new HashMap<>();
        for (int i = 0; i < distinct.length; i++) {
            byIndex.put(distinct[i], decoded.get(i));
        }
        List<DecodedFrame> out = new ArrayList<>();
        for (int p : picks) {
            out.add(byIndex.get(p));
        }
        return out;
    }

    /** One decoding pass in display order; only the wanted frames are converted to RGB. */
    private List<DecodedFrame> sequential(VideoSource source, int[] wanted, int expected,
                                          java.util.function.UnaryOperator<DecodedFrame> shrink) throws VideoDecodeException {
        List<DecodedFrame> out = new ArrayList<>();
        try (OpenVideo o = open(source)) {
            o.keepPixels = limits.pixelsPerFrame(wanted.length);
            o.shrink = shrink;
            int count = 0;
            int next = 0;
            Frame f;
            while (next < wanted.length) {
                // convert only when this frame is a wanted one
                boolean convert = wanted[next] == count;
                f = o.next(convert);
                if (f == null) {
                    break;
                }
                double t = o.relativeSeconds(f.timestamp); // every frame keeps the clock going
                if (convert) {
                    out.add(o.toFrame(f, count, t));
                    next++;
                }
                count++;
            }
            if (next < wanted.length) {
                // the packet index promised more frames than the decoder produced (damaged tail):
                // repeat the last decodable frame rather than fail
                if (out.isEmpty()) {
                    throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": no decodable video frame");
                }
                LOG.debug("{}: {} frames indexed, {} decoded", source.describe(), expected, count);
                while (out.size() < wanted.length) {
                    out.add(out.get(out.size() - 1));
                }
            }
            return out;
        }
    }

    /**
     * Seeks to each wanted frame; null when a landing does not match the indexed timestamp (the
     * caller then decodes in order instead).
     */
    private List<DecodedFrame> seek(VideoSource source, double[] timeline, int[] wanted,
                                    java.util.function.UnaryOperator<DecodedFrame> shrink) throws VideoDecodeException {
        try (OpenVideo o = open(source)) {
            o.keepPixels = limits.pixelsPerFrame(wanted.length);
            o.shrink = shrink;
            double frameDuration = o.info.frameRate() > 0 ? 1.0 / o.info.frameRate() : 0.04;
            List<DecodedFrame> out = new ArrayList<>();
            for (int index : wanted) {
                double target = timeline[index];
                // aim half a frame late: the seek stops at the first frame whose span covers the time
                o.seekTo(target + frameDuration / 2);
                Frame f = o.grab(true);
                if (f == null) {
                    return null;
                }
                DecodedFrame d = o.toFrame(f, index);
                if (Math.abs(d.timestamp() - target) > 1e-3) {
                    LOG.debug("{}: seek to frame {} ({}s) landed at {}s; decoding in order instead", source.describe(),
                            index, target, d.timestamp());
                    return null;
                }
                out.add(d);
            }
            return out;
        } catch (VideoDecodeException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debug("{}: seeking failed ({}); decoding in order instead", source.describe(), e.toString());
            return null;
        }
    }

    /** Frame timestamps by decoding (no RGB): for sources whose packets lack timestamps. */
    private double[] timelineByDecoding(VideoSource source) throws VideoDecodeException {
        try (OpenVideo o = open(source)) {
            List<Double> t = new ArrayList<>();
            Frame f;
            while ((f = o.next(false)) != null) {
                t.add(o.relativeSeconds(f.timestamp));
            }
            return t.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /**
     * Reads a (possibly live) source for {@code window} of stream time and returns the frames
     * nearest to evenly spaced times in it (uniform/headtail: {@code frames} over the window;
     * fps: every {@code 1/fps} seconds).
     */
    public SampledVideo capture(VideoSource source, java.time.Duration window, SamplingSpec spec)
            throws VideoDecodeException {
        return LiveCapture.capture(source, limits, window, spec);
    }

    private OpenVideo open(VideoSource source) throws VideoDecodeException {
        return new OpenVideo(source, limits);
    }
}
