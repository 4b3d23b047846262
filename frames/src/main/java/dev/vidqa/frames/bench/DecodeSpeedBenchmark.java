package dev.vidqa.frames.bench;

import dev.vidqa.frames.SampledVideo;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.SyntheticVideo;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decoding speed of the frames module next to the ffmpeg command line on the same files, in one
 * run: full decode frames/s (with and without the RGB conversion the model needs) vs
 * {@code ffmpeg -i FILE -f null -}, and 4 uniformly sampled frames vs a full decode.
 */
public final class DecodeSpeedBenchmark {

    public static void main(String[] args) throws Exception {
        List<Path> extra = new ArrayList<>();
        for (String a : args) {
            extra.add(Path.of(a));
        }
        run(extra, System.out);
    }

    public static void run(List<Path> files, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("vidqa-decode-bench");
        try {
            Path clip = dir.resolve("noisy-640x480-30s.mp4");
            long t0 = System.nanoTime();
            SyntheticVideo.write(clip, SyntheticVideo.Spec.h264Mp4(640, 480, 25, 750, 50));
            out.printf("decode benchmark: generated %s (30 s, 640x480, 25 fps, H.264/openh264, GOP 2 s, %.1f MB) in %.1f s%n",
                    clip.getFileName(), Files.size(clip) / 1e6, (System.nanoTime() - t0) / 1e9);
            List<Path> all = new ArrayList<>();
            all.add(clip);
            all.addAll(files);
            boolean ffmpeg = ffmpegVersion() != null;
            out.println(ffmpeg ? "  ffmpeg: " + ffmpegVersion() : "  ffmpeg: not installed (apt-get install ffmpeg to compare)");
            VideoDecoder decoder = new VideoDecoder();
            for (Path f : all) {
                VideoSource src = new VideoSource.File(f);
                int[] frames = new int[1];
                double rgb = median(3, () -> frames[0] = decoder.forEachFrame(src, x -> { }));
                double raw = median(3, () -> decoder.countFrames(src));
                double sample = median(5, () -> decoder.sample(src, SamplingSpec.uniform(4)));
                SampledVideo s = decoder.sample(src, SamplingSpec.uniform(4));
                out.printf("  %s: %d frames%n", f.getFileName(), frames[0]);
                out.printf("    frames module, full decode to RGB: %.0f frames/s; decode only: %.0f frames/s%n",
                        frames[0] / rgb, frames[0] / raw);
                if (ffmpeg) {
                    double cli = median(3, () -> ffmpegNull(f));
                    out.printf("    ffmpeg -f null: %.0f frames/s -> module/ffmpeg %.2f (RGB), %.2f (decode only)%n",
                            frames[0] / cli, cli / rgb, cli / raw);
                }
                out.printf("    4 uniformly sampled frames: %.0f ms (%s) vs full RGB decode %.0f ms: %.1fx faster%n",
                        sample * 1000, s.seeked() ? "seeking" : "one pass, converting only the picks", rgb * 1000,
                        rgb / sample);
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    interface Body {
        void run() throws Exception;
    }

    static double median(int reps, Body body) throws Exception {
        body.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    static String ffmpegVersion() {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
            return p.waitFor() == 0 ? first : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    static void ffmpegNull(Path f) throws IOException, InterruptedException, VideoDecodeException {
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", f.toString(), "-an",
                "-f", "null", "-").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed on " + f);
        }
    }
}
