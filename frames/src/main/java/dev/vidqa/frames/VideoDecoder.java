package dev.vidqa.frames;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.vidqa.frames.VideoDecodeException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
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
        try (Open o = open(source)) {
            return o.info;
        }
    }

    /** Decodes every frame (bounded by the limits) and hands each to {@code sink}; returns the count. */
    public int forEachFrame(VideoSource source, Consumer<DecodedFrame> sink) throws VideoDecodeException {
        try (Open o = open(source)) {
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
        try (Open o = open(source)) {
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
        try (Open o = open(source)) {
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
        try (Open o = open(source)) {
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
        try (Open o = open(source)) {
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
        try (Open o = open(source)) {
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
        try (Open o = open(source)) {
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

    private Open open(VideoSource source) throws VideoDecodeException {
        return new Open(source, limits);
    }

    /** One opened FFmpeg context and the bookkeeping of a single decode call. */
    private static final class Open implements AutoCloseable {
        private final VideoSource source;
        private final DecodeLimits limits;
        private final FFmpegFrameGrabber grabber;
        private final long deadline;
        private final long startMicros;
        private final int videoIndex;
        final VideoInfo info;

        Open(VideoSource source, DecodeLimits limits) throws VideoDecodeException {
            this.source = source;
            this.limits = limits;
            this.deadline = System.nanoTime() + limits.maxDecodeTime().toNanos();
            this.grabber = FFmpegInput.create(source, limits);
            // pictures stay in the decoder's format; RgbConverter converts only the kept ones
            grabber.setImageMode(org.bytedeco.javacv.FrameGrabber.ImageMode.RAW);
            FFmpegInput.start(grabber, source);
            AVFormatContext oc = grabber.getFormatContext();
            this.videoIndex = grabber.getVideoStream();
            AVStream st = oc.streams(videoIndex);
            long start;
            if (st.start_time() != AV_NOPTS_VALUE) {
                AVRational tb = st.time_base();
                start = 1_000_000L * st.start_time() * tb.num() / tb.den();
            } else {
                start = oc.start_time() != AV_NOPTS_VALUE ? oc.start_time() : 0;
            }
            this.startMicros = start;
            int w = grabber.getImageWidth();
            int h = grabber.getImageHeight();
            this.info = new VideoInfo(grabber.getFormat(), grabber.getVideoCodecName(), w, h,
                    grabber.getVideoFrameRate(), Math.max(0, grabber.getLengthInTime()) / 1e6, start / 1e6);
            if (w <= 0 || h <= 0) {
                closeQuietly();
                throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": video stream has no frame size");
            }
            if ((long) w * h > limits.maxPixels()) {
                closeQuietly();
                throw new VideoDecodeException(Reason.LIMIT_EXCEEDED, source.describe() + ": frames of " + w + "x" + h
                        + " exceed the limit of " + limits.maxPixels() + " pixels per frame");
            }
        }

        private boolean started;
        private int decodable;

        /**
         * The next frame from the source's first keyframe on (frames before it are undecodable or
         * garbage), counted against the frame limit; null at the end.
         */
        Frame next(boolean convert) throws VideoDecodeException {
            Frame f;
            while ((f = grab(convert)) != null) {
                if (!started && !f.keyFrame) {
                    continue;
                }
                started = true;
                checkFrames(++decodable);
                return f;
            }
            return null;
        }

        /** Next video frame (RGB when {@code convert}), or null at the end. */
        Frame grab(boolean convert) throws VideoDecodeException {
            checkTime();
            try {
                return grabber.grabFrame(false, true, convert, false, false);
            } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
                throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": decoding failed: "
                        + FFmpegInput.firstLine(String.valueOf(e.getMessage())), e);
            }
        }

        void seekTo(double seconds) throws VideoDecodeException {
            checkTime();
            try {
                grabber.setVideoTimestamp(Math.round(seconds * 1e6));
                resetClock();
            } catch (FFmpegFrameGrabber.Exception e) {
                throw new RuntimeException(e);
            }
        }

        boolean seekable() {
            String f = info.format() == null ? "" : info.format();
            return !(source instanceof VideoSource.Url) && (f.contains("mp4") || f.contains("matroska"));
        }

        /**
         * Display-ordered presentation times of the video packets from the first keyframe on,
         * without decoding; null when some packet has no timestamp (then decode to find out).
         */
        double[] indexByPackets() throws VideoDecodeException {
            AVRational tb = grabber.getFormatContext().streams(videoIndex).time_base();
            List<Long> pts = new ArrayList<>();
            boolean started = false;
            boolean complete = true;
            try {
                AVPacket pkt;
                while ((pkt = grabber.grabPacket()) != null) {
                    try {
                        if (pkt.stream_index() != videoIndex) {
                            continue;
                        }
                        if (!started && (pkt.flags() & AV_PKT_FLAG_KEY) == 0) {
                            continue;
                        }
                        started = true;
                        if (pkt.pts() == AV_NOPTS_VALUE) {
                            complete = false;
                        } else {
                            pts.add(pkt.pts());
                        }
                        checkFrames(pts.size());
                        if ((pts.size() & 63) == 0) {
                            checkTime();
                        }
                    } finally {
                        av_packet_unref(pkt);
                    }
                }
            } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
                throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": demuxing failed: "
                        + FFmpegInput.firstLine(String.valueOf(e.getMessage())), e);
            }
            if (!complete) {
                return null;
            }
            double[] t = new double[pts.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = (1_000_000.0 * pts.get(i) * tb.num() / tb.den() - startMicros) / 1e6;
            }
            Arrays.sort(t); // decode order -> display order
            return t;
        }

        private double lastSeconds = Double.NEGATIVE_INFINITY;

        /**
         * A decoded frame's time from the stream start. Frames flushed at the end of some streams
         * (MPEG-PS) carry no timestamp; a time that does not advance is taken as one frame after
         * the previous one.
         */
        double relativeSeconds(long frameMicros) {
            double t = (frameMicros - startMicros) / 1e6;
            if (t <= lastSeconds && lastSeconds > Double.NEGATIVE_INFINITY) {
                t = lastSeconds + (info.frameRate() > 0 ? 1.0 / info.frameRate() : 0.04);
            }
            lastSeconds = t;
            return t;
        }

        /** Forgets the previous frame's time (after a seek). */
        void resetClock() {
            lastSeconds = Double.NEGATIVE_INFINITY;
        }

        DecodedFrame toFrame(Frame f, int index) throws VideoDecodeException {
            return toFrame(f, index, relativeSeconds(f.timestamp));
        }

        private final RgbConverter rgb = new RgbConverter();
        /** Frames with more pixels are scaled down as they are converted (see {@link DecodeLimits#maxHeldPixels}). */
        long keepPixels = Long.MAX_VALUE;
        /** The caller's own shrinking of each frame, in place of the box filter (null: none). */
        java.util.function.UnaryOperator<DecodedFrame> shrink;

        DecodedFrame toFrame(Frame f, int index, double timestamp) throws VideoDecodeException {
            if (!(f.opaque instanceof AVFrame pic)) {
                throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": frame " + index + " has no picture");
            }
            try {
                DecodedFrame full = new DecodedFrame(index, timestamp, pic.width(), pic.height(), rgb.convert(pic));
                return shrink != null ? shrink.apply(full) : Downscale.fit(full, keepPixels);
            } catch (IllegalStateException e) {
                throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": " + e.getMessage(), e);
            }
        }

        void checkFrames(int n) throws VideoDecodeException {
            if (n > limits.maxFrames()) {
                throw new VideoDecodeException(Reason.LIMIT_EXCEEDED, source.describe() + ": more than "
                        + limits.maxFrames() + " frames (the limit of decoded frames per source)");
            }
        }

        void checkTime() throws VideoDecodeException {
            if (System.nanoTime() > deadline) {
                throw new VideoDecodeException(Reason.LIMIT_EXCEEDED, source.describe() + ": decoding took longer than "
                        + limits.maxDecodeTime().toMillis() + " ms (the wall-clock limit)");
            }
        }

        private void closeQuietly() {
            FFmpegInput.closeQuietly(grabber, source);
        }

        @Override
        public void close() {
            closeQuietly();
            rgb.close();
        }
    }
}
