package dev.vidqa.qformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.vidqa.qformer.testing.GoldenSets;
import dev.vidqa.qformer.testing.RepoPaths;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MoreLoadingTest {

    @Test
    void longInstructionsAreCutFromTheLeftKeepingClsAndSep() {
        GoldenSets.root();
        try (QFormerTokenizer tok = QFormerTokenizer.load(RepoPaths.tinyT5(), 16)) {
            String question = "what is the man doing? ".repeat(10) + "and the dog?";
            long[] full = QFormerTokenizer.load(RepoPaths.tinyT5(), 10_000).encode(question);
            assertTrue(full.length > 16, "the test needs a long instruction");
            long[] cut = tok.encode(question);
            assertEquals(16, cut.length);
            assertEquals(full[0], cut[0], "[CLS] stays");
            // the end of the instruction (where the question is) survives, [SEP] included
            assertEquals(Arrays.toString(Arrays.copyOfRange(full, full.length - 15, full.length)),
                    Arrays.toString(Arrays.copyOfRange(cut, 1, 16)));
            assertEquals(QFormerTokenizer.MAX_LENGTH, 128);
        }
    }

    @Test
    void deviceChoicesResolveOrSayWhyNot() {
        assertEquals(Device.cpu(), DeviceChoice.CPU.resolve());
        assertEquals(DeviceChoice.AUTO, DeviceChoice.parse(" Auto "));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("tpu"));
        assertTrue(bad.getMessage().contains("cpu, gpu or auto"));
        if (Engines.pytorch().getGpuCount() == 0) {
            IllegalStateException e = assertThrows(IllegalStateException.class, DeviceChoice.GPU::resolve);
            assertTrue(e.getMessage().contains("sees no GPU"), e.getMessage());
            assertEquals(Device.cpu(), DeviceChoice.AUTO.resolve());
        } else {
            assertTrue(DeviceChoice.GPU.resolve().isGpu());
            assertTrue(DeviceChoice.AUTO.resolve().isGpu());
        }
    }
}
