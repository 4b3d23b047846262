package dev.vidqa.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_close_dyn_buf;
import static org.bytedeco.ffmpeg.global.avformat.avio_open_dyn_buf;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.vidqa.frames.DecodeLimits;
import dev.vidqa.frames.FFmpegInput;
import dev.vidqa.frames.FFmpegLogs;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecodeException.Reason;
import dev.vidqa.frames.VideoSource;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a video (file or live feed) into self-contained MPEG-TS chunks of about {@code seconds}
 * each, every one starting on a keyframe, by remuxing the compressed packets: no decoding, no
 * re-encoding, the frames are bit-identical to the source's. Audio is dropped.
 */
public final class Chunker {
    private static final Logger LOG = LoggerFactory.getLogger(Chunker.class);
    public static final String CONTAINER = "mpegts";

    static {
        FFmpegLogs.quiet();
    }

    /** Receives each chunk as soon as it is complete. */
    public interface Sink {
        void accept(Chunk chunk) throws Exception;
    }

    private final double seconds;

    /**
     * The sink failed (a Kafka send, say): not a problem of the video, and not to be reported as
     * one (the command line's exit code for a broken video would send the user to the wrong place).
     */
    public static final class SinkException extends RuntimeException {
        SinkException(Chunk chunk, Exception cause) {
            super("delivering chunk " + chunk.sequence() + " of " + chunk.streamId() + " failed: "
                    + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        }
    }

    private static void deliver(Sink sink, Chunk chunk) {
        try {
            sink.accept(chunk);
        } catch (Exception e) {
            throw new SinkException(chunk, e);
        }
    }

    public Chunker(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("chunk length must be positive, got " + seconds);
        }
        this.seconds = seconds;
    }

    /**
     * Cuts {@code source} into chunks for {@code sink} until it ends or {@code stop} says so.
     * Returns the number of chunks.
     */
    public long cut(VideoSource source, String streamId, String clip, long firstSequence, Sink sink,
                    BooleanSupplier stop) throws VideoDecodeException {
        FFmpegFrameGrabber g = open(source);
        try {
            AVFormatContext in = g.getFormatContext();
            int vi = g.getVideoStream();
            AVStream inStream = in.streams(vi);
            AVRational tb = inStream.time_base();
            long origin = AV_NOPTS_VALUE;
            Muxer current = null;
            double chunkStart = 0;
            double lastPts = 0;
            double frameDuration = g.getVideoFrameRate() > 0 ? 1.0 / g.getVideoFrameRate() : 0.04;
            long seq = firstSequence;
            Chunk pendingChunk = null;
            AVPacket pkt;
            while (!stop.getAsBoolean() && (pkt = g.grabPacket()) != null) {
                try {
                    if (pkt.stream_index() != vi) {
                        continue;
                    }
                    long ts = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                    boolean key = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
                    if (current == null && !key) {
                        continue; // nothing decodable before the first keyframe
                    }
                    if (origin == AV_NOPTS_VALUE && ts != AV_NOPTS_VALUE) {
                        origin = ts;
                    }
                    double t = ts == AV_NOPTS_VALUE || origin == AV_NOPTS_VALUE ? lastPts
                            : (double) (ts - origin) * tb.num() / tb.den();
                    if (current != null && key && t - chunkStart >= seconds) {
                        byte[] bytes = current.finish();
                        current = null;
                        if (pendingChunk != null) {
                            deliver(sink, pendingChunk);
                        }
                        pendingChunk = new Chunk(streamId, seq++, bytes, CONTAINER, chunkStart, t,
                                System.currentTimeMillis(), clip, false);
                    }
                    if (current == null) {
                        current = new Muxer(inStream);
                        chunkStart = t;
                    }
                    lastPts = Math.max(lastPts, t);
                    current.write(pkt, inStream.time_base());
                } finally {
                    av_packet_unref(pkt);
                }
            }
            if (current != null) {
                byte[] bytes = current.finish();
                if (pendingChunk != null) {
                    deliver(sink, pendingChunk);
                }
                pendingChunk = new Chunk(streamId, seq++, bytes, CONTAINER, chunkStart, lastPts + frameDuration,
                        System.currentTimeMillis(), clip, true);
            } else if (pendingChunk != null) {
                pendingChunk = new Chunk(pendingChunk.streamId(), pendingChunk.sequence(), pendingChunk.data(),
                        CONTAINER, pendingChunk.start(), pendingChunk.end(), pendingChunk.wallClockMillis(), clip, true);
            }
            if (pendingChunk != null) {
                deliver(sink, pendingChunk);
            }
            return seq - firstSequence;
        } catch (SinkException e) {
            throw e;
        } catch (Exception e) {
            throw new VideoDecodeException(Reason.CORRUPT, source.describe() + ": chunking failed: " + e.getMessage(), e);
        } finally {
            try {
                g.close();
            } catch (Exception e) {
                LOG.debug("closing {}", source.describe(), e);
            }
        }
    }

    /** The source opened as the decoder opens it (same checks, network timeouts and RTSP options). */
    private static FFmpegFrameGrabber open(VideoSource source) throws VideoDecodeException {
        if (source instanceof VideoSource.Bytes) {
            throw new IllegalArgumentException("chunk files or URLs, not in-memory chunks");
        }
        FFmpegFrameGrabber g = FFmpegInput.create(source, DecodeLimits.DEFAULTS);
        FFmpegInput.start(g, source);
        return g;
    }

    /** An MPEG-TS muxer writing one video stream into memory. */
    private static final class Muxer {
        private final AVFormatContext oc = new AVFormatContext(null);
        private final AVStream out;

        Muxer(AVStream in) throws IOException {
            check(avformat_alloc_output_context2(oc, null, CONTAINER, null), "allocate the MPEG-TS muxer");
            out = avformat_new_stream(oc, null);
            check(avcodec_parameters_copy(out.codecpar(), in.codecpar()), "copy codec parameters");
            out.codecpar().codec_tag(0);
            out.time_base(in.time_base());
            AVIOContext pb = new AVIOContext(null);
            check(avio_open_dyn_buf(pb), "open a memory buffer");
            oc.pb(pb);
            check(avformat_write_header(oc, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "write the MPEG-TS header");
        }

        void write(AVPacket pkt, AVRational inTimeBase) throws IOException {
            pkt.stream_index(0);
            pkt.pos(-1);
            av_packet_rescale_ts(pkt, inTimeBase, out.time_base());
            check(av_interleaved_write_frame(oc, pkt), "write a packet");
        }

        byte[] finish() throws IOException {
            try {
                check(av_write_trailer(oc), "finish the chunk");
                BytePointer buf = new BytePointer((org.bytedeco.javacpp.Pointer) null);
                int size = avio_close_dyn_buf(oc.pb(), buf);
                oc.pb(null);
                byte[] bytes = new byte[size];
                buf.capacity(size).get(bytes);
                avutil.av_free(buf);
                return bytes;
            } finally {
                avformat_free_context(oc);
            }
        }

        private static void check(int rc, String what) throws IOException {
            if (rc < 0) {
                throw new IOException("cannot " + what + " (FFmpeg error " + rc + ")");
            }
        }
    }
}
