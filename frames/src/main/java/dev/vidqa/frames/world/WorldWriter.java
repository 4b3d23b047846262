package dev.vidqa.frames.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.vidqa.frames.FFmpegLogs;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * {@code vidqa world}: writes a split of the generated world — {@code clips/NNNNNN.mp4} (H.264
 * through FFmpeg, so the model sees compression artefacts and reads the files by the normal
 * decoding path), {@code scenes.jsonl} (the ground truth) and {@code qa.jsonl} (questions with
 * answers). Clip i depends only on (seed, split, i).
 */
public final class WorldWriter {
    private static final ObjectWriter LINE = new ObjectMapper().writer();
    /** Low enough for visible artefacts at 160x120, high enough to keep shapes legible. */
    static final int BITS_PER_PIXEL_SECOND = 8;

    /** What to write. */
    public record Spec(long seed, int clips, WorldSplit split, int width, int height, int fps, double duration,
                       int threads) {
        public Spec {
            if (clips < 1 || clips > 1_000_000) {
                throw new IllegalArgumentException("--clips must be 1..1000000, got " + clips);
            }
            if (width < 32 || height < 32 || width > 1920 || height > 1080 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("--width/--height must be even and 32x32..1920x1080, got "
                        + width + "x" + height);
            }
            if (fps < 2 || fps > 60 || !(duration >= 2) || duration > 600) {
                throw new IllegalArgumentException("--fps must be 2..60 and --duration 2..600 s");
            }
            if (split == null) {
                throw new IllegalArgumentException("--split is required");
            }
            threads = Math.max(1, threads);
        }
    }

    /** What was written. */
    public record Result(Path scenes, Path qa, int clips, int questions) {}

    static {
        FFmpegLogs.quiet();
    }

    private WorldWriter() {}

    public static Result write(Path out, Spec spec) throws IOException {
        Path clipDir = out.resolve("clips");
        Files.createDirectories(clipDir);
        SceneSampler sampler = new SceneSampler(spec.seed(), spec.split(), spec.duration(), spec.fps(), spec.width(),
                spec.height());
        QuestionMaker maker = new QuestionMaker(spec.split());
        List<Scene> scenes = new ArrayList<>();
        List<WorldQa> qa = new ArrayList<>();
        for (int i = 0; i < spec.clips(); i++) {
            Scene s = sampler.scene(i, String.format("clips/%06d.mp4", i));
            scenes.add(s);
            qa.addAll(maker.questions(s, i, new SplittableRandom(spec.seed() * 7919 + i * 2L + spec.split().ordinal())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(spec.threads());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Scene s : scenes) {
                done.add(pool.submit(() -> {
                    encode(s, out.resolve(s.video()));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing clips", e);
        } catch (ExecutionException e) {
            throw new IOException("writing a clip failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Path scenesFile = out.resolve("scenes.jsonl");
        Path qaFile = out.resolve("qa.jsonl");
        writeLines(scenesFile, scenes);
        writeLines(qaFile, qa);
        return new Result(scenesFile, qaFile, scenes.size(), qa.size());
    }

    /** Encodes one scene as an H.264 MP4 (keyframe every second). */
    public static void encode(Scene scene, Path file) throws IOException {
        SceneRenderer renderer = new SceneRenderer(scene);
        int w = scene.width();
        int h = scene.height();
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), w, h, 0)) {
            r.setFormat("mp4");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(scene.fps());
            r.setGopSize(scene.fps());
            r.setVideoBitrate(Math.max(50_000, w * h * BITS_PER_PIXEL_SECOND));
            r.setVideoOption("threads", "1");
            r.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            for (int i = 0; i < scene.frameCount(); i++) {
                byte[] rgb = renderer.rgb(i);
                for (int y = 0; y < h; y++) {
                    buf.position(y * stride);
                    buf.put(rgb, y * w * 3, w * 3);
                }
                buf.position(0);
                r.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            r.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static void writeLines(Path file, List<?> rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object row : rows) {
                w.write(LINE.writeValueAsString(row));
                w.newLine();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Reads scenes.jsonl back. */
    public static List<Scene> readScenes(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<Scene> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(m.readValue(line, Scene.class));
            }
        }
        return out;
    }
}
