package dev.vidqa.qformer.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.qformer.FrameFeatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Dynamic batching, the feature cache, and the encoder service that combines them. */
class ServingTest {

    static FrameFeatures features(float v) {
        return new FrameFeatures(new float[] {v, v}, 1, 2);
    }

    @Test
    void concurrentSubmissionsAreBatchedUpToTheLimit() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("test", 4, Duration.ofMillis(200), in -> {
            try {
                release.await(); // hold the first batch so the rest queue up
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return in.stream().map(i -> i * 10).toList();
        }, sizes::add)) {
            List<CompletableFuture<Integer>> f = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                f.add(b.submit(i));
            }
            release.countDown();
            for (int i = 0; i < 10; i++) {
                assertEquals(i * 10, f.get(i).get());
            }
        }
        assertEquals(10, sizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(sizes.stream().allMatch(s -> s <= 4), "never more than maxBatch: " + sizes);
        assertTrue(sizes.stream().anyMatch(s -> s > 1), "queued submissions share a batch: " + sizes);
    }

    @Test
    void aLoneItemWaitsAtMostMaxWait() throws Exception {
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("test", 64, Duration.ofMillis(30), in -> in, null)) {
            long t0 = System.nanoTime();
            assertEquals(7, b.submit(7).get());
            assertTrue((System.nanoTime() - t0) / 1e6 < 2000);
        }
    }

    @Test
    void aFailingBatchFailsItsItemsOnly() throws Exception {
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("test", 1, Duration.ZERO, in -> {
            if (in.get(0) < 0) {
                throw new IllegalArgumentException("negative");
            }
            return in;
        }, null)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> b.submit(-1).get());
            assertEquals("negative", e.getCause().getMessage());
            assertEquals(3, b.submit(3).get());
        }
    }

    @Test
    void theCacheEvictsLeastRecentlyUsedByBytes() {
        FeatureCache c = new FeatureCache(3 * 8); // three entries of 2 floats
        c.put("a", features(1));
        c.put("b", features(2));
        c.put("c", features(3));
        assertNotNull(c.get("a")); // a is now the most recent
        c.put("d", features(4));
        assertNull(c.get("b"), "b was the least recently used");
        assertNotNull(c.get("a"));
        assertEquals(3, c.size());
        assertEquals(24, c.bytes());
        assertEquals(1, c.evictions());
        assertEquals(2, c.hits());
        assertEquals(1, c.misses());
    }

    @Test
    void theServiceEncodesEachFrameOnceAcrossThreadsAndRequests() throws Exception {
        AtomicInteger encoded = new AtomicInteger();
        List<Integer> batches = new CopyOnWriteArrayList<>();
        try (FrameEncoderService s = new FrameEncoderService(px -> {
            encoded.addAndGet(px.length);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            FrameFeatures[] out = new FrameFeatures[px.length];
            for (int i = 0; i < px.length; i++) {
                out[i] = features(px[i][0]);
            }
            return out;
        }, new FeatureCache(1 << 20), 16, Duration.ofMillis(10), batches::add)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<FrameFeatures>>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    // every thread asks for the same 4 frames
                    results.add(pool.submit(() -> s.encode(List.of(
                            new FrameEncoderService.Request("f0", () -> new float[] {0}),
                            new FrameEncoderService.Request("f1", () -> new float[] {1}),
                            new FrameEncoderService.Request("f2", () -> new float[] {2}),
                            new FrameEncoderService.Request("f3", () -> new float[] {3})))));
                }
                for (Future<List<FrameFeatures>> r : results) {
                    List<FrameFeatures> f = r.get();
                    for (int i = 0; i < 4; i++) {
                        assertEquals(i, f.get(i).data()[0]);
                    }
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(4, encoded.get(), "each frame encoded once");
            assertEquals(4, s.encodedFrames());
            FrameFeatures again = s.encode(List.of(new FrameEncoderService.Request("f2", () -> {
                throw new AssertionError("a cached frame's pixels are never produced");
            }))).get(0);
            assertSame(s.cache().get("f2"), again);
            assertTrue(batches.stream().anyMatch(b -> b > 1), "frames of one request are batched: " + batches);
        }
    }
}
