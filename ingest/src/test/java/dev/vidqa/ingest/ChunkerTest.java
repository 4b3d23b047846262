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
    void notAVideoIsRefused() {
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> cut(Paths.get("pom.xml"), 2));
        assertEquals(VideoDecodeException.Reason.PROBE_FAILED, e.reason());
    }
}
