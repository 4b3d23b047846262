package dev.vidqa.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The preprocessing against the reference processors' output on the same RGB frame
 * ({@code preprocess_golden.safetensors}); the directory can be overridden with
 * {@code vidqa.preprocess.dir}.
 */
class ImagePreprocessorTest {
    static final Path DIR = Paths.get(System.getProperty("vidqa.preprocess.dir", "src/test/resources/preprocess"));

    static byte[] frame() throws IOException {
        return Files.readAllBytes(DIR.resolve("frame_320x240.rgb"));
    }

    /** A float32 tensor from a safetensors file (enough of the format for the fixture). */
    static float[] golden(String name) throws IOException {
        byte[] all = Files.readAllBytes(DIR.resolve("preprocess_golden.safetensors"));
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8));
        JsonNode t = header.get(name);
        assertEquals("F32", t.get("dtype").asText());
        int begin = t.get("data_offsets").get(0).asInt();
        int end = t.get("data_offsets").get(1).asInt();
        float[] out = new float[(end - begin) / 4];
        ByteBuffer data = ByteBuffer.wrap(all, (int) (8 + n + begin), end - begin).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().get(out);
        return out;
    }

    static double[] maxAndMean(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double max = 0;
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            max = Math.max(max, d);
            sum += d;
        }
        return new double[] {max, sum / expected.length};
    }

    @Test
    void matchesTheReferenceBlipProcessorAt224And56() throws IOException {
        for (int size : new int[] {224, 56}) {
            float[] got = new ImagePreprocessor(size).apply(frame(), 320, 240);
            double[] d = maxAndMean(golden("blip_image_processor_" + size), got);
            assertTrue(d[0] <= 0.03, size + ": max |Δ| " + d[0]);
            assertTrue(d[1] <= 0.002, size + ": mean |Δ| " + d[1]);
        }
    }

    @Test
    void matchesTheVideoProcessorOnEveryFrame() throws IOException {
        float[] golden = golden("video_processor_224");
        float[] one = new ImagePreprocessor(224).apply(frame(), 320, 240);
        for (int f = 0; f < 4; f++) {
            float[] part = java.util.Arrays.copyOfRange(golden, f * one.length, (f + 1) * one.length);
            double[] d = maxAndMean(part, one);
            assertTrue(d[0] <= 0.03 && d[1] <= 0.002, "video frame " + f + ": max " + d[0] + ", mean " + d[1]);
        }
    }

    @Test
    void aPlainCubicResizeWouldNotPass() throws IOException {
        // Guard against a weakened comparison: a resize without Pillow's antialiasing fails the bound.
        byte[] rgb = frame();
        int s = 56;
        float[] naive = new float[3 * s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int sx = (int) ((x + 0.5) * 320 / s);
                int sy = (int) ((y + 0.5) * 240 / s);
                for (int c = 0; c < 3; c++) {
                    float v = (rgb[(sy * 320 + sx) * 3 + c] & 0xFF) / 255f;
                    naive[c * s * s + y * s + x] = (v - ImagePreprocessor.CLIP_MEAN[c]) / ImagePreprocessor.CLIP_STD[c];
                }
            }
        }
        double[] d = maxAndMean(golden("blip_image_processor_56"), naive);
        assertTrue(d[0] > 0.03 || d[1] > 0.002, "nearest resize unexpectedly within bounds: " + d[0] + " / " + d[1]);
    }

    @Test
    void sameSizeInputIsOnlyNormalised() {
        byte[] rgb = new byte[2 * 2 * 3];
        java.util.Arrays.fill(rgb, (byte) 255);
        float[] out = new ImagePreprocessor(2).apply(rgb, 2, 2);
        assertEquals((1f - ImagePreprocessor.CLIP_MEAN[0]) / ImagePreprocessor.CLIP_STD[0], out[0], 1e-6);
        assertEquals((1f - ImagePreprocessor.CLIP_MEAN[2]) / ImagePreprocessor.CLIP_STD[2], out[11], 1e-6);
    }

    @Test
    void pillowCoefficientsSumToOneAndWidenWhenDownscaling() {
        PilResampler.Coefficients up = PilResampler.coefficients(10, 20);
        PilResampler.Coefficients down = PilResampler.coefficients(320, 56);
        assertEquals(5, up.ksize(), "upscaling keeps the cubic's support of 2");
        assertTrue(down.ksize() > 20, "downscaling 5.7x widens the filter (antialiasing)");
        for (PilResampler.Coefficients c : new PilResampler.Coefficients[] {up, down}) {
            int outs = c.bounds().length / 2;
            for (int o = 0; o < outs; o++) {
                long sum = 0;
                for (int k = 0; k < c.ksize(); k++) {
                    sum += c.kk()[o * c.ksize() + k];
                }
                assertEquals(1 << 22, sum, 4, "fixed-point taps of output " + o);
            }
        }
        assertArrayEquals(new double[] {1, 0, 0}, new double[] {PilResampler.bicubic(0), PilResampler.bicubic(1),
                PilResampler.bicubic(2)}, 1e-12);
    }
}
