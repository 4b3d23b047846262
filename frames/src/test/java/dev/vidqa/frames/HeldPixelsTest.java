package dev.vidqa.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames are scaled down as they are decoded so that what one decode holds stays bounded. */
class HeldPixelsTest {
    @TempDir
    Path tmp;

    @Test
    void boxFilterAveragesBlocksAndLeavesSmallFramesAlone() {
        // 4x2 frame: left 2x2 block all 10, right 2x2 block 0 and 255 alternating
        byte[] rgb = new byte[4 * 2 * 3];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 4; x++) {
                int v = x < 2 ? 10 : ((x + y) % 2 == 0 ? 0 : 255);
                for (int c = 0; c < 3; c++) {
                    rgb[(y * 4 + x) * 3 + c] = (byte) v;
                }
            }
        }
        DecodedFrame f = new DecodedFrame(7, 1.5, 4, 2, rgb);
        assertSame(f, Downscale.fit(f, 8));
        DecodedFrame s = Downscale.fit(f, 2);
        assertEquals(2, s.width());
        assertEquals(1, s.height());
        assertEquals(7, s.index());
        assertEquals(1.5, s.timestamp());
        assertArrayEquals(new byte[] {10, 10, 10, (byte) 128, (byte) 128, (byte) 128}, s.rgb(), "(0+255+255+0)/4 rounds to 128");
    }

    /** 8K frames (100 MB of RGB each): what a decode holds stays within the limit however many are sampled. */
    @Test
    void manyEightKFramesStayWithinTheHeldPixels() throws Exception {
        Path p = tmp.resolve("8k.ts");
        SyntheticVideo.write(p, new SyntheticVideo.Spec(7680, 4320, 5, 3, 1, "mpegts", avcodec.AV_CODEC_ID_MPEG4,
                avutil.AV_PIX_FMT_YUV420P, Map.of(), false));
        SampledVideo v = new VideoDecoder().sample(new VideoSource.File(p), SamplingSpec.uniform(64));
        assertEquals(64, v.frames().size());
        long held = v.frames().stream().distinct().mapToLong(f -> (long) f.width() * f.height()).sum();
        assertTrue(held <= DecodeLimits.DEFAULTS.maxHeldPixels(), "held " + held + " pixels");
        DecodedFrame first = v.frames().get(0);
        assertEquals(7680.0 / 4320, (double) first.width() / first.height(), 0.02, "aspect kept");
        SampledVideo one = new VideoDecoder().sample(new VideoSource.File(p), SamplingSpec.uniform(1));
        assertTrue((long) one.frames().get(0).width() * one.frames().get(0).height() <= DecodeLimits.DEFAULTS.maxHeldPixels());
    }
}
