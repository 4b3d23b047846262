package dev.vidqa.qformer.serve;

import dev.vidqa.qformer.FrameFeatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The question-independent stage as a shared service: frames are looked up in the feature cache,
 * concurrent requests for the same frame share one computation, and misses from all threads are
 * encoded together by a {@link DynamicBatcher}.
 */
public final class FrameEncoderService implements AutoCloseable {
    private final FeatureCache cache;
    private final DynamicBatcher<float[], FrameFeatures> batcher;
    private final Map<String, CompletableFuture<FrameFeatures>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder encoded = new LongAdder();

    /**
     * @param encode the model's frame encoder: preprocessed frames (CHW float32) to features
     */
    public FrameEncoderService(Function<float[][], FrameFeatures[]> encode, FeatureCache cache, int maxBatch,
                               Duration maxWait, IntConsumer batchSizes) {
        this.cache = cache;
        this.batcher = new DynamicBatcher<>("vidqa-frame-encoder", maxBatch, maxWait, inputs -> {
            FrameFeatures[] out = encode.apply(inputs.toArray(new float[0][]));
            encoded.add(out.length);
            return List.of(out);
        }, batchSizes);
    }

    /** Tells {@code listener} the size of every vision-encoder batch run from now on. */
    public void addBatchListener(IntConsumer listener) {
        batcher.addBatchListener(listener);
    }

    /** A frame to encode: a stable key (stream and time) and its pixels, produced only on a miss. */
    public record Request(String key, Supplier<float[]> pixels) {}

    /** Features of every requested frame, in order; blocks until computed. */
    public List<FrameFeatures> encode(List<Request> frames) {
        List<CompletableFuture<FrameFeatures>> pending = new ArrayList<>(frames.size());
        for (Request r : frames) {
            FrameFeatures hit = cache.get(r.key());
            if (hit != null) {
                pending.add(CompletableFuture.completedFuture(hit));
                continue;
            }
            // one computation per frame even when several threads miss it at once
            List<CompletableFuture<FrameFeatures>> created = new ArrayList<>(1);
            CompletableFuture<FrameFeatures> f = inFlight.computeIfAbsent(r.key(), k -> {
                // another thread's computation may have finished (cached, then left inFlight) since the
                // first look: look again rather than encode the frame a second time
                FrameFeatures again = cache.peek(k);
                CompletableFuture<FrameFeatures> c = again != null ? CompletableFuture.completedFuture(again)
                        : batcher.submit(r.pixels().get());
                created.add(c);
                return c;
            });
            if (!created.isEmpty()) {
                CompletableFuture<FrameFeatures> c = created.get(0);
                c.whenComplete((v, e) -> {
                    if (v != null) {
                        cache.put(r.key(), v);
                    }
                    inFlight.remove(r.key(), c);
                });
            }
            pending.add(f);
        }
        List<FrameFeatures> out = new ArrayList<>(frames.size());
        for (CompletableFuture<FrameFeatures> f : pending) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while encoding frames", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
            }
        }
        return out;
    }

    public FeatureCache cache() {
        return cache;
    }

    /** Frames run through the encoder (cache misses). */
    public long encodedFrames() {
        return encoded.sum();
    }

    @Override
    public void close() {
        batcher.close();
    }
}
