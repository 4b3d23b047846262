package dev.vidqa.qformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import dev.vidqa.qformer.testing.GoldenSets;
import dev.vidqa.qformer.testing.NetworkGuard;
import dev.vidqa.qformer.testing.RepoPaths;
import java.io.IOException;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** DJL must run with no network at all: engine start, natives, tokenizers. */
class OfflineTest {

    @Test
    void djlIsOfflineAndNeverReachesTheNetwork() throws Exception {
        NetworkGuard.install();
        assertEquals("true", System.getProperty("ai.djl.offline"), "tests must run with -Dai.djl.offline=true");
        assertTrue(Utils.isOfflineMode(), "DJL does not consider itself offline");

        Engine engine = Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(6f, m.create(new float[] {1, 2, 3}).sum().getFloat());
        }
        try (QFormerTokenizer tok = QFormerTokenizer.load(RepoPaths.tinyT5())) {
            assertTrue(tok.encode("what is it?").length > 2);
        }
        assertEquals("PyTorch", engine.getEngineName());
        assertEquals(java.util.List.of(), NetworkGuard.attempts(), "DJL tried to reach the network");
        GoldenSets.root(); // the fixture directory resolves
    }

    @Test
    void theGuardRefusesRemoteUrls() {
        NetworkGuard.install();
        int before = NetworkGuard.attempts().size();
        assertThrows(IOException.class, () -> new URL("https://example.invalid/model.bin").openStream());
        assertEquals(before + 1, NetworkGuard.attempts().size());
    }
}
