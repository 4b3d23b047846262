package dev.vidqa.frames;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Frame-numbered test video: each frame shows its index as a row of black/white blocks (16 bits)
 * above a noisy picture, so a test can read back which frame it got after any lossy codec.
 * Used by tests and by the decode benchmark.
 */
public final class SyntheticVideo {
    public static final int BITS = 16;
    private static final int MARGIN = 8;

    /** Encoding settings. */
    public record Spec(int width, int height, double fps, int frames, int gop, String format, int codec,
                       int pixelFormat, Map<String, String> options, boolean noisy) {

        /** H.264 (openh264) in MP4, noisy picture: the benchmark's clip. */
        public static Spec h264Mp4(int width, int height, double fps, int frames, int gop) {
            return new Spec(width, height, fps, frames, gop, "mp4", avcodec.AV_CODEC_ID_H264, avutil.AV_PIX_FMT_YUV420P,
                    Map.of(), true);
        }

        public Spec with(String format, int codec) {
            return new Spec(width, height, fps, frames, gop, format, codec, pixelFormat, options, noisy);
        }

        public Spec withOptions(Map<String, String> o) {
            return new Spec(width, height, fps, frames, gop, format, codec, pixelFormat, o, noisy);
        }

        public Spec withNoise(boolean n) {
            return new Spec(width, height, fps, frames, gop, format, codec, pixelFormat, options, n);
        }
    }

    static {
        FFmpegLogs.quiet();
    }

    private SyntheticVideo() {}

    public static void write(Path file, Spec spec) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), spec.width(), spec.height(), 0)) {
            record(r, spec);
        }
    }

    /** Writes to a stream (MP4 needs {@code movflags=frag_keyframe+empty_moov} in the options). */
    public static void write(OutputStream out, Spec spec) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, spec.width(), spec.height(), 0)) {
            record(r, spec);
        }
    }

    private static void record(FFmpegFrameRecorder r, Spec spec) throws Exception {
        r.setFormat(spec.format());
        r.setVideoCodec(spec.codec());
        r.setFrameRate(spec.fps());
        r.setGopSize(spec.gop());
        r.setPixelFormat(spec.pixelFormat());
        r.setVideoBitrate(Math.max(400_000, spec.width() * spec.height() * 4));
        r.setVideoOption("threads", "1");
        spec.options().forEach((k, v) -> {
            if (k.startsWith("movflags") || k.equals("muxdelay") || k.equals("muxpreload")) {
                r.setOption(k, v);
            } else {
                r.setVideoOption(k, v);
            }
        });
        r.start();
        SplittableRandom rnd = new SplittableRandom(1234);
        Frame frame = new Frame(spec.width(), spec.height(), Frame.DEPTH_UBYTE, 3);
        for (int i = 0; i < spec.frames(); i++) {
            paint((ByteBuffer) frame.image[0], frame.imageStride, spec.width(), spec.height(), i, spec.noisy(), rnd);
            r.record(frame, avutil.AV_PIX_FMT_BGR24);
        }
        r.stop();
    }

    /** Block size of the index pattern for a frame width. */
    static int block(int width) {
        return Math.max(4, (width - 2 * MARGIN) / BITS);
    }

    private static void paint(ByteBuffer buf, int stride, int w, int h, int index, boolean noisy, SplittableRandom rnd) {
        int b = block(w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v;
                if (y >= MARGIN && y < MARGIN + b && x >= MARGIN && x < MARGIN + BITS * b) {
                    int bit = (x - MARGIN) / b;
                    v = ((index >> (BITS - 1 - bit)) & 1) == 1 ? 235 : 16;
                } else if (y < MARGIN + b + MARGIN) {
                    v = 128;
                } else {
                    // a moving gradient plus noise: realistic work for the codec
                    v = ((x + y + 3 * index) & 0xFF) / 2 + 64;
                    if (noisy) {
                        v += rnd.nextInt(64) - 32;
                    }
                }
                v = Math.max(0, Math.min(255, v));
                int p = y * stride + x * 3;
                buf.put(p, (byte) v);
                buf.put(p + 1, (byte) (noisy ? Math.max(0, Math.min(255, v + 20)) : v));
                buf.put(p + 2, (byte) v);
            }
        }
    }

    /** Reads the frame number painted into an RGB frame. */
    public static int readIndex(DecodedFrame f) {
        int b = block(f.width());
        int y = MARGIN + b / 2;
        int index = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int x = MARGIN + bit * b + b / 2;
            int p = (y * f.width() + x) * 3;
            int lum = ((f.rgb()[p] & 0xFF) + (f.rgb()[p + 1] & 0xFF) + (f.rgb()[p + 2] & 0xFF)) / 3;
            index = (index << 1) | (lum > 128 ? 1 : 0);
        }
        return index;
    }
}
