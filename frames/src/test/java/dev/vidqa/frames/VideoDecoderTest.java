package dev.vidqa.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.frames.VideoDecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VideoDecoderTest {
    static final Path SAMPLE = Paths.get("src/test/resources/media/cityCC0.mpg");
    static final VideoDecoder DECODER = new VideoDecoder();

    @TempDir
    static Path tmp;

    static final int FRAMES = 60;

    static SyntheticVideo.Spec spec(String format, int codec) {
        return new SyntheticVideo.Spec(160, 96, 25, FRAMES, 12, format, codec,
                org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P, Map.of(), false);
    }

    static Stream<Arguments> containers() {
        return Stream.of(
                Arguments.of("mp4", avcodec.AV_CODEC_ID_H264, "h264.mp4"),
                Arguments.of("mpegts", avcodec.AV_CODEC_ID_H264, "h264.ts"),
                Arguments.of("mpegts", avcodec.AV_CODEC_ID_MPEG4, "mpeg4.ts"),
                Arguments.of("matroska", avcodec.AV_CODEC_ID_VP9, "vp9.mkv"),
                Arguments.of("webm", avcodec.AV_CODEC_ID_VP9, "vp9.webm"),
                Arguments.of("webm", avcodec.AV_CODEC_ID_VP8, "vp8.webm"),
                Arguments.of("mpeg", avcodec.AV_CODEC_ID_MPEG2VIDEO, "mpeg2.mpg"),
                Arguments.of("mp4", avcodec.AV_CODEC_ID_AV1, "av1.mp4"));
    }

    static Path make(String format, int codec, String name) throws Exception {
        Path p = tmp.resolve(name);
        if (!Files.exists(p)) {
            SyntheticVideo.write(p, spec(format, codec));
        }
        return p;
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("containers")
    void everyFrameDecodesInOrderWithItsTimestamp(String format, int codec, String name) throws Exception {
        Path p = make(format, codec, name);
        List<DecodedFrame> frames = DECODER.decodeAll(new VideoSource.File(p));
        assertEquals(FRAMES, frames.size(), name);
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(i, SyntheticVideo.readIndex(frames.get(i)), name + ": frame " + i);
            assertEquals(i / 25.0, frames.get(i).timestamp(), 0.002, name + ": timestamp of frame " + i);
        }
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("containers")
    void samplingReturnsExactlyTheFramesAskedFor(String format, int codec, String name) throws Exception {
        Path p = make(format, codec, name);
        for (SamplingSpec s : List.of(SamplingSpec.uniform(4), SamplingSpec.headtail(5), SamplingSpec.uniform(3),
                SamplingSpec.fps(2.0, 0))) {
            SampledVideo v = DECODER.sample(new VideoSource.File(p), s);
            assertEquals(FRAMES, v.totalFrames(), name);
            double[] timeline = new double[FRAMES];
            for (int i = 0; i < FRAMES; i++) {
                timeline[i] = i / 25.0;
            }
            int[] expected = FrameSelector.select(s, timeline);
            int[] got = v.frames().stream().mapToInt(SyntheticVideo::readIndex).toArray();
            assertArrayEquals(expected, got, name + " " + s + (v.seeked() ? " (seeking)" : " (in order)"));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i] / 25.0, v.frames().get(i).timestamp(), 0.002);
            }
        }
    }

    @Test
    void mp4SamplingSeeksAndStillGetsTheExactFrames() throws Exception {
        Path p = tmp.resolve("long.mp4");
        SyntheticVideo.write(p, spec("mp4", avcodec.AV_CODEC_ID_H264).withOptions(Map.of()));
        Path longer = tmp.resolve("longer.mp4");
        SyntheticVideo.write(longer, new SyntheticVideo.Spec(160, 96, 25, 250, 25, "mp4", avcodec.AV_CODEC_ID_H264,
                org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P, Map.of(), false));
        SampledVideo v = DECODER.sample(new VideoSource.File(longer), SamplingSpec.uniform(4));
        assertTrue(v.seeked(), "sparse picks in an MP4 should seek");
        assertArrayEquals(new int[] {0, 62, 125, 187}, v.frames().stream().mapToInt(SyntheticVideo::readIndex).toArray());
        SampledVideo ts = DECODER.sample(new VideoSource.File(make("mpegts", avcodec.AV_CODEC_ID_H264, "h264.ts")),
                SamplingSpec.uniform(4));
        assertFalse(ts.seeked(), "MPEG-TS timestamp seeks are unreliable: decode in order");
    }

    @Test
    void inMemoryChunksOfEveryContainerDecode() throws Exception {
        for (String[] c : new String[][] {{"mpegts", "h264"}, {"mp4", "h264"}, {"matroska", "vp9"}, {"mpeg", "mpeg2"}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int codec = switch (c[1]) {
                case "h264" -> avcodec.AV_CODEC_ID_H264;
                case "vp9" -> avcodec.AV_CODEC_ID_VP9;
                default -> avcodec.AV_CODEC_ID_MPEG2VIDEO;
            };
            SyntheticVideo.Spec s = spec(c[0], codec);
            if (c[0].equals("mp4")) {
                s = s.withOptions(Map.of("movflags", "frag_keyframe+empty_moov"));
            }
            SyntheticVideo.write(out, s);
            byte[] bytes = out.toByteArray();
            for (String hint : new String[] {c[0], null}) {
                SampledVideo v = DECODER.sample(VideoSource.bytes(bytes, hint), SamplingSpec.uniform(4));
                assertArrayEquals(new int[] {0, 15, 30, 45}, v.frames().stream().mapToInt(SyntheticVideo::readIndex).toArray(),
                        c[0] + "/" + c[1] + " hint " + hint);
            }
        }
    }

    @Test
    void aChunkCutMidGopStartsAtItsFirstKeyframeWithoutGarbage() throws Exception {
        for (int codec : new int[] {avcodec.AV_CODEC_ID_MPEG4, avcodec.AV_CODEC_ID_H264}) {
            Path p = tmp.resolve("cut-" + codec + ".ts");
            SyntheticVideo.write(p, spec("mpegts", codec));
            byte[] all = Files.readAllBytes(p);
            // cut on a TS packet boundary about a third in: inside a GOP
            int at = (all.length / 3) / 188 * 188;
            byte[] tail = java.util.Arrays.copyOfRange(all, at, all.length);
            List<DecodedFrame> frames = DECODER.decodeAll(VideoSource.bytes(tail, "mpegts"));
            int first = SyntheticVideo.readIndex(frames.get(0));
            assertEquals(0, first % 12, "codec " + codec + ": the first frame must be a keyframe (GOP 12), got " + first);
            for (int i = 0; i < frames.size(); i++) {
                assertEquals(first + i, SyntheticVideo.readIndex(frames.get(i)), "codec " + codec + ": frame " + i);
            }
            assertTrue(first > 0 && frames.size() < FRAMES);
        }
    }

    @Test
    void theRealSampleDecodesWithTimestampsFromTheStreamStart() throws Exception {
        VideoSource src = new VideoSource.File(SAMPLE);
        VideoInfo info = DECODER.probe(src);
        assertEquals(720, info.width());
        assertEquals(405, info.height());
        assertEquals(25.0, info.frameRate(), 0.01);
        assertEquals(0.54, info.startSeconds(), 0.01, "the container starts at 0.54 s");
        List<DecodedFrame> frames = DECODER.decodeAll(src);
        assertTrue(frames.size() >= 185 && frames.size() <= 192, "7.6 s at 25 fps, got " + frames.size());
        assertEquals(0.0, frames.get(0).timestamp(), 1e-6, "timestamps are relative to the stream start");
        for (int i = 1; i < frames.size(); i++) {
            assertEquals(0.04, frames.get(i).timestamp() - frames.get(i - 1).timestamp(), 1e-3);
        }
        SampledVideo v = DECODER.sample(src, SamplingSpec.uniform(4));
        int n = frames.size();
        double[] expected = {0, (n / 4) * 0.04, (2 * n / 4) * 0.04, (3 * n / 4) * 0.04};
        assertArrayEquals(expected, v.timestamps(), 1e-3);
        // the sampled frames are the very frames of a full decode
        assertArrayEquals(frames.get(n / 4).rgb(), v.frames().get(1).rgb());
    }

    @Test
    void notVideoIsAProbeFailure() {
        byte[] junk = new byte[100_000];
        new java.util.Random(1).nextBytes(junk);
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> DECODER.sample(VideoSource.bytes(junk, null), SamplingSpec.uniform(4)));
        assertEquals(Reason.PROBE_FAILED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("format probe failed"), e.getMessage());
        e = assertThrows(VideoDecodeException.class, () -> DECODER.sample(VideoSource.bytes(new byte[0], null),
                SamplingSpec.uniform(4)));
        assertEquals(Reason.PROBE_FAILED, e.reason());
        e = assertThrows(VideoDecodeException.class, () -> DECODER.sample(
                VideoSource.bytes("hello, I am a text file\n".repeat(100).getBytes(), null), SamplingSpec.uniform(4)));
        assertTrue(e.reason() == Reason.PROBE_FAILED || e.reason() == Reason.NO_VIDEO_STREAM, e.getMessage());
    }

    @Test
    void audioOnlyHasNoVideoStream() throws Exception {
        Path wav = tmp.resolve("tone.wav");
        try (var r = new org.bytedeco.javacv.FFmpegFrameRecorder(wav.toFile(), 1)) {
            r.setFormat("wav");
            r.setSampleRate(8000);
            r.start();
            short[] samples = new short[8000];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) (Math.sin(i * 0.1) * 8000);
            }
            r.recordSamples(8000, 1, java.nio.ShortBuffer.wrap(samples));
            r.stop();
        }
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> DECODER.sample(new VideoSource.File(wav), SamplingSpec.uniform(4)));
        assertEquals(Reason.NO_VIDEO_STREAM, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("tone.wav"), e.getMessage());
    }

    @Test
    void truncatedInputIsReportedNotCrashed() throws Exception {
        byte[] mp4 = Files.readAllBytes(make("mp4", avcodec.AV_CODEC_ID_H264, "h264.mp4"));
        for (int len : new int[] {10, 500, mp4.length / 2}) {
            byte[] cut = java.util.Arrays.copyOf(mp4, len);
            VideoDecodeException e = assertThrows(VideoDecodeException.class,
                    () -> DECODER.sample(VideoSource.bytes(cut, null), SamplingSpec.uniform(4)), "length " + len);
            assertTrue(e.reason() == Reason.PROBE_FAILED || e.reason() == Reason.CORRUPT, e.reason() + ": " + e.getMessage());
        }
        // a TS stream cut short still yields what it has
        byte[] ts = Files.readAllBytes(make("mpegts", avcodec.AV_CODEC_ID_H264, "h264.ts"));
        SampledVideo v = DECODER.sample(VideoSource.bytes(java.util.Arrays.copyOf(ts, ts.length / 2), "mpegts"),
                SamplingSpec.uniform(4));
        assertTrue(v.totalFrames() > 10 && v.totalFrames() < FRAMES);
    }

    @Test
    void limitsAreEnforcedWithTheirName() throws Exception {
        Path p = make("mpegts", avcodec.AV_CODEC_ID_H264, "h264.ts");
        byte[] bytes = Files.readAllBytes(p);
        VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> new VideoDecoder(
                DecodeLimits.DEFAULTS.withMaxBytes(1000)).sample(VideoSource.bytes(bytes, "mpegts"), SamplingSpec.uniform(4)));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("bytes per chunk"), e.getMessage());
        e = assertThrows(VideoDecodeException.class, () -> new VideoDecoder(DecodeLimits.DEFAULTS.withMaxFrames(20))
                .sample(new VideoSource.File(p), SamplingSpec.uniform(4)));
        assertTrue(e.getMessage().contains("more than 20 frames"), e.getMessage());
        e = assertThrows(VideoDecodeException.class, () -> new VideoDecoder(DecodeLimits.DEFAULTS.withMaxPixels(100 * 90))
                .sample(new VideoSource.File(p), SamplingSpec.uniform(4)));
        assertTrue(e.getMessage().contains("160x96 exceed the limit of 9000 pixels"), e.getMessage());
        e = assertThrows(VideoDecodeException.class, () -> new VideoDecoder(
                DecodeLimits.DEFAULTS.withMaxDecodeTime(Duration.ofNanos(1))).decodeAll(new VideoSource.File(SAMPLE)));
        assertTrue(e.getMessage().contains("wall-clock limit"), e.getMessage());
    }

    @Test
    void missingFileIsUnreadable() {
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> DECODER.probe(new VideoSource.File(tmp.resolve("nope.mp4"))));
        assertEquals(Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains("nope.mp4: no such file"));
    }

    @Test
    void sourcesParseFromStrings() {
        assertTrue(VideoSource.of("rtsp://127.0.0.1:8554/cam") instanceof VideoSource.Url u && u.live());
        assertTrue(VideoSource.of("https://example.org/v.mp4") instanceof VideoSource.Url u && !u.live());
        assertTrue(VideoSource.of("videos/clip.mp4") instanceof VideoSource.File);
    }
}
