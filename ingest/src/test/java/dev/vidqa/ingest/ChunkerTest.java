package dev.vidqa.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.SyntheticVideo;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkerTest {
    static final Path SAMPLE = Paths.get("../frames/src/test/resources/media/cityCC0.mpg");

    @TempDir
    Path tmp;

    static List<Chunk> cut(Path file, double seconds) throws VideoDecodeException {
        List<Chunk> out = new ArrayList<>();
        new Chunker(seconds).cut(new VideoSource.File(file), "s1", file.getFileName().toString(), 0, out::add, () -> false);
        return out;
    }

    @Test
    void framesOfEveryChunkAreExactlyTheSourceFrames() throws Exception {
        Path p = tmp.resolve("numbered.mp4");
        SyntheticVideo.write(p, new SyntheticVideo.Spec(160, 96, 25, 130, 25, "mp4", avcodec.AV_CODEC_ID_H264,
                avutil.AV_PIX_FMT_YUV420P, Map.of(), false));
        List<Chunk> chunks = cut(p, 2.0);
        assertEquals(3, chunks.size(), "keyframes every second, 2 s chunks: 0-2, 2-4, 4-5.2");
        int expected = 0;
        for (Chunk c : chunks) {
            assertEquals(Chunker.CONTAINER, c.container());
            List<DecodedFrame> frames = new VideoDecoder().decodeAll(VideoSource.bytes(c.data(), c.container()));
            assertEquals(c.start(), expected / 25.0, 1e-6, "chunk " + c.sequence() + " starts where the last ended");
            for (DecodedFrame f : frames) {
                assertEquals(expected, SyntheticVideo.readIndex(f), "chunk " + c.sequence());
                assertEquals(expected / 25.0, c.start() + f.timestamp(), 1e-6, "stream time of frame " + expected);
                expected++;
            }
            assertEquals(c.end(), expected / 25.0, 1e-6);
        }
        assertEquals(130, expected);
        assertTrue(chunks.get(2).lastOfClip());
        assertEquals(List.of(0L, 1L, 2L), chunks.stream().map(Chunk::sequence).toList());
    }

    @Test
    void theRealSampleSplitsOnKeyframesIntoDecodableChunks() throws Exception {
        List<Chunk> chunks = cut(SAMPLE, 2.0);
        assertTrue(chunks.size() >= 3 && chunks.size() <= 5, chunks.size() + " chunks");
        List<DecodedFrame> whole = new VideoDecoder().decodeAll(new VideoSource.File(SAMPLE));
        int frames = 0;
        for (Chunk c : chunks) {
            List<DecodedFrame> part = new VideoDecoder().decodeAll(VideoSource.bytes(c.data(), c.container()));
            frames += part.size();
            // the first frame of each chunk is the very frame at that time in the whole file
            DecodedFrame first = part.get(0);
            double t = c.start() + first.timestamp();
            DecodedFrame same = whole.stream().filter(f -> Math.abs(f.timestamp() - t) < 1e-3).findFirst().orElseThrow();
            assertArrayEquals(same.rgb(), first.rgb(), "chunk " + c.sequence() + " frame at " + t + " s");
        }
        // open GOPs: B-frames that reference the previous chunk cannot be decoded at a chunk start
        assertTrue(frames >= whole.size() - 3 * chunks.size() && frames <= whole.size(), frames + " of " + whole.size());
    }

    @Test
    void aLiveFeedIsCutUntilStopped() throws Exception {
        Path p = tmp.resolve("live.ts");
        SyntheticVideo.write(p, new SyntheticVideo.Spec(160, 96, 25, 250, 25, "mpegts", avcodec.AV_CODEC_ID_H264,
                avutil.AV_PIX_FMT_YUV420P, Map.of(), false));
        byte[] bytes = java.nio.file.Files.readAllBytes(p);
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread feeder = new Thread(() -> {
                try (java.net.Socket s = ss.accept(); var o = s.getOutputStream()) {
                    long t0 = System.nanoTime();
                    for (int at = 0; at < bytes.length; at += 188 * 20) {
                        o.write(bytes, at, Math.min(188 * 20, bytes.length - at));
                        long wait = (long) ((double) at / bytes.length * 10_000) - (System.nanoTime() - t0) / 1_000_000;
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                    }
                } catch (Exception e) {
                    // the chunker hung up: expected
                }
            });
            feeder.setDaemon(true);
            feeder.start();
            List<Chunk> chunks = new ArrayList<>();
            new Chunker(1.0).cut(VideoSource.of("tcp://127.0.0.1:" + ss.getLocalPort()), "cam", "cam", 0, chunks::add,
                    () -> chunks.size() >= 3);
            assertTrue(chunks.size() >= 3, "cut while the feed was still running: " + chunks.size());
            for (Chunk c : chunks.subList(0, 3)) {
                List<DecodedFrame> frames = new VideoDecoder().decodeAll(VideoSource.bytes(c.data(), c.container()));
                assertEquals(25, frames.size(), "one second per chunk at 25 fps");
                assertEquals(Math.round(c.start() * 25), SyntheticVideo.readIndex(frames.get(0)));
            }
        }
    }

    @Test
    void notAVideoIsRefused() {
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> cut(Paths.get("pom.xml"), 2));
        assertEquals(VideoDecodeException.Reason.PROBE_FAILED, e.reason());
    }

    /** A failing sink (Kafka down) is reported as what it is, not as a broken video. */
    @Test
    void aFailingSinkIsNotAVideoError() {
        Chunker.SinkException e = assertThrows(Chunker.SinkException.class, () -> new Chunker(2.0).cut(
                new dev.vidqa.frames.VideoSource.File(SAMPLE), "cam", null, 0, c -> {
                    throw new java.io.IOException("broker unreachable");
                }, () -> false));
        assertTrue(e.getMessage().contains("delivering chunk 0 of cam failed: broker unreachable"), e.getMessage());
    }
}
