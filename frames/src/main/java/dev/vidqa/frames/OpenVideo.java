package dev.vidqa.frames;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.vidqa.frames.VideoDecodeException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * One opened FFmpeg context and the bookkeeping of a single decode call of {@link VideoDecoder}:
 * frames from the first keyframe on, counted against the frame limit and the wall-clock deadline,
 * packet indexing, seeking, and conversion of the kept frames to RGB.
 */
final class OpenVideo implements AutoCloseable {
    private final VideoSource source;
    private final DecodeLimits limits;
    private final FFmpegFrameGrabber grabber;
    private final long deadline;
    private final long startMicros;
    private final int videoIndex;
    final VideoInfo info;

    OpenVideo(VideoSource source, DecodeLimits limits) throws VideoDecodeException {
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
