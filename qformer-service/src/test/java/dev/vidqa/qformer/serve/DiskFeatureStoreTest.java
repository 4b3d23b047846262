package dev.vidqa.qformer.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vidqa.qformer.FrameFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFeatureStoreTest {
    @TempDir
    Path tmp;

    @Test
    void entriesAreKeyedByContentAndSurviveAReopen() throws Exception {
        Path a = Files.write(tmp.resolve("a.mp4"), new byte[] {1, 2, 3});
        Path copy = Files.write(tmp.resolve("renamed.mp4"), new byte[] {1, 2, 3});
        Path other = Files.write(tmp.resolve("b.mp4"), new byte[] {1, 2, 4});
        DiskFeatureStore store = new DiskFeatureStore(tmp.resolve("store"));
        String key = store.key(a, "uniform-4|224");
        assertEquals(key, store.key(copy, "uniform-4|224"), "same bytes, same entry");
        assertNotEquals(key, store.key(other, "uniform-4|224"), "other bytes, other entry");
        assertNotEquals(key, store.key(a, "headtail-4|224"), "other sampling, other entry");
        assertNull(store.get(key));
        List<FrameFeatures> frames = List.of(new FrameFeatures(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                new FrameFeatures(new float[] {-1, -2, -3, -4, -5, -6}, 2, 3));
        store.put(key, frames);
        List<FrameFeatures> again = new DiskFeatureStore(tmp.resolve("store")).get(key);
        assertEquals(2, again.size());
        assertArrayEquals(frames.get(1).data(), again.get(1).data());
        assertEquals(2, again.get(0).tokens());
        assertEquals(1, store.misses());
    }

    @Test
    void aDamagedEntryIsDroppedAndRecomputedNeverTrusted() throws Exception {
        DiskFeatureStore store = new DiskFeatureStore(tmp.resolve("store"));
        store.put("k", List.of(new FrameFeatures(new float[] {1, 2}, 1, 2)));
        Path f = tmp.resolve("store/k.f32");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 4)); // cut by a crash
        assertNull(new DiskFeatureStore(tmp.resolve("store")).get("k"));
        assertFalse(Files.exists(f));
    }
}
