package dev.vidqa.topology.train;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Prepares the next steps' batches (decoding, sampling, the frozen vision encoder, the feature
 * store) on a thread of its own while the current step trains. At most {@code depth} steps are
 * prepared ahead, so memory stays bounded.
 */
final class Prefetcher implements AutoCloseable {
    private record Item(PreparedStep step, RuntimeException error) {}

    private final BlockingQueue<Item> queue;
    private final Thread thread;

    Prefetcher(BatchMaker maker, long firstStep, long endStep, int depth) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, depth));
        this.thread = new Thread(() -> {
            // autograd is on by default on threads the engine did not start: this one only infers
            JniUtils.setGradMode(false);
            for (long s = firstStep; s < endStep && !Thread.currentThread().isInterrupted(); s++) {
                Item item;
                try {
                    item = new Item(maker.make(s), null);
                } catch (RuntimeException e) {
                    item = new Item(null, e);
                }
                try {
                    queue.put(item);
                } catch (InterruptedException e) {
                    return;
                }
                if (item.error() != null) {
                    return;
                }
            }
        }, "vidqa-train-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next step's batches, in step order. */
    PreparedStep next() throws InterruptedException {
        Item i = queue.take();
        if (i.error() != null) {
            throw i.error();
        }
        return i.step();
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
