package dev.vidqa.frames;

import dev.vidqa.frames.VideoDecodeException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening an FFmpeg input, the one way the decoder and the chunker both do it: files checked
 * before FFmpeg sees them, in-memory chunks within the byte limit, network reads bounded in time
 * (RTSP over TCP with its own timeout), and a failure to start classified into a
 * {@link VideoDecodeException.Reason} that names the source.
 */
public final class FFmpegInput {
    private static final Logger LOG = LoggerFactory.getLogger(FFmpegInput.class);
    /** The longest a blocking network read may take before it fails instead of hanging. */
    static final long MAX_NETWORK_WAIT_MILLIS = 15_000;

    static {
        FFmpegLogs.quiet();
    }

    private FFmpegInput() {}

    /** A grabber for {@code source}, not started. */
    public static FFmpegFrameGrabber create(VideoSource source, DecodeLimits limits) throws VideoDecodeException {
        if (source instanceof VideoSource.File f) {
            if (!Files.isRegularFile(f.path())) {
                throw new VideoDecodeException(Reason.UNREADABLE, f.path() + ": no such file");
            }
            if (!Files.isReadable(f.path())) {
                throw new VideoDecodeException(Reason.UNREADABLE, f.path() + ": not readable");
            }
            return new FFmpegFrameGrabber(f.path().toFile());
        }
        if (source instanceof VideoSource.Bytes b) {
            if (b.data().length > limits.maxBytes()) {
                throw new VideoDecodeException(Reason.LIMIT_EXCEEDED, source.describe() + ": " + b.data().length
                        + " bytes exceed the limit of " + limits.maxBytes() + " bytes per chunk");
            }
            if (b.data().length == 0) {
                throw new VideoDecodeException(Reason.PROBE_FAILED, source.describe() + ": empty chunk");
            }
            FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(b.data()), b.data().length + 1);
            if (b.formatHint() != null && !b.formatHint().isBlank()) {
                g.setFormat(b.formatHint());
            }
            return g;
        }
        VideoSource.Url u = (VideoSource.Url) source;
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(u.url());
        // bound blocking network reads so a silent stream fails instead of hanging
        long micros = Math.min(limits.maxDecodeTime().toMillis(), MAX_NETWORK_WAIT_MILLIS) * 1000;
        g.setOption("rw_timeout", Long.toString(micros));
        if (u.url().toLowerCase(Locale.ROOT).startsWith("rtsp")) {
            g.setOption("timeout", Long.toString(micros));
            g.setOption("rtsp_transport", "tcp");
        }
        return g;
    }

    /**
     * Starts {@code g} (opened on {@code source}) and checks it has a video stream; on failure the
     * grabber is closed and the reason classified from what FFmpeg reported.
     */
    public static void start(FFmpegFrameGrabber g, VideoSource source) throws VideoDecodeException {
        try {
            g.start();
        } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
            closeQuietly(g, source);
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("Did not find a video or audio stream")) {
                throw new VideoDecodeException(Reason.NO_VIDEO_STREAM, source.describe() + ": no video stream", e);
            }
            if (msg.contains("Could not open input") || msg.contains("Could not find stream information")) {
                Reason r = source instanceof VideoSource.Url u && u.live() ? Reason.UNREADABLE : Reason.PROBE_FAILED;
                throw new VideoDecodeException(r, source.describe() + ": not a video FFmpeg can read"
                        + " (format probe failed: " + firstLine(msg) + ")", e);
            }
            throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": cannot start decoding: "
                    + firstLine(msg), e);
        }
        if (!g.hasVideo()) {
            closeQuietly(g, source);
            throw new VideoDecodeException(Reason.NO_VIDEO_STREAM, source.describe() + ": no video stream (only audio)");
        }
    }

    static void closeQuietly(FFmpegFrameGrabber g, VideoSource source) {
        try {
            g.close();
        } catch (Exception e) {
            LOG.debug("closing the grabber of {} failed", source.describe(), e);
        }
    }

    /** FFmpeg's message without JavaCV's generic hints. */
    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.replace(" (For more details, make sure FFmpegLogCallback.set() has been called.)", "")
                .replace(" (Has setFormat() been called?)", "");
    }
}
