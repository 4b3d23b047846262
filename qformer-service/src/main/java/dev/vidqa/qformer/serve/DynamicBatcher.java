package dev.vidqa.qformer.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching: items submitted from any number of threads are grouped into batches of up to
 * {@code maxBatch} items, or whatever arrived within {@code maxWait} of the first one, and handed
 * to {@code work} on a dedicated worker thread. One model call for many stream threads.
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    private record Job<I, O>(I input, CompletableFuture<O> result) {}

    private final BlockingQueue<Job<I, O>> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Function<List<I>, List<O>> work;
    private volatile IntConsumer batchSizes;
    private final Thread worker;
    private volatile boolean running = true;

    /**
     * @param batchSizes told the size of every batch run (metrics); may be null
     */
    public DynamicBatcher(String name, int maxBatch, Duration maxWait, Function<List<I>, List<O>> work,
                          IntConsumer batchSizes) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative");
        }
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.work = work;
        this.batchSizes = batchSizes;
        this.worker = new Thread(this::loop, name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Also tells {@code listener} the size of every batch from now on (metrics wired after construction). */
    public void addBatchListener(IntConsumer listener) {
        IntConsumer before = batchSizes;
        batchSizes = before == null ? listener : before.andThen(listener);
    }

    public CompletableFuture<O> submit(I input) {
        CompletableFuture<O> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("batcher is closed"));
            return f;
        }
        queue.add(new Job<>(input, f));
        return f;
    }

    private void loop() {
        List<Job<I, O>> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Job<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Job<I, O> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Job<I, O> j;
        while ((j = queue.poll()) != null) {
            j.result().completeExceptionally(new IllegalStateException("batcher closed"));
        }
    }

    private void run(List<Job<I, O>> batch) {
        if (batchSizes != null) {
            batchSizes.accept(batch.size());
        }
        try {
            List<I> inputs = new ArrayList<>(batch.size());
            for (Job<I, O> j : batch) {
                inputs.add(j.input());
            }
            List<O> outputs = work.apply(inputs);
            if (outputs.size() != batch.size()) {
                throw new IllegalStateException(outputs.size() + " results for a batch of " + batch.size());
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outputs.get(i));
            }
        } catch (RuntimeException | Error e) {
            LOG.warn("batch of {} failed: {}", batch.size(), e.toString());
            for (Job<I, O> j : batch) {
                j.result().completeExceptionally(e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
