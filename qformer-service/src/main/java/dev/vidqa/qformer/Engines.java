package dev.vidqa.qformer;

import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that starts DJL's PyTorch engine, always offline. */
public final class Engines {
    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    public static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private Engines() {}

    /**
     * DJL downloads natives and phones home at engine start unless told it is offline. vidqa never
     * needs the network for the model: force offline mode when nobody chose otherwise.
     */
    public static void ensureOffline() {
        if (System.getProperty(OFFLINE_PROPERTY) == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
            LOG.debug("set {}=true", OFFLINE_PROPERTY);
        }
    }

    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    /**
     * Sets PyTorch's intra-op threads to {@code threads} unless the user chose them
     * ({@code -Dai.djl.pytorch.num_threads}); only effective before the engine starts. Returns the
     * number in force. Too many threads on busy cores are ruinous: 2 on 2 cores next to another busy
     * thread ran a training loop 30x slower than 1 (OpenMP spin-waiting).
     */
    public static int limitThreads(int threads) {
        if (System.getProperty(THREADS_PROPERTY) == null) {
            System.setProperty(THREADS_PROPERTY, Integer.toString(Math.max(1, threads)));
        }
        return Integer.parseInt(System.getProperty(THREADS_PROPERTY));
    }

    private static final ThreadLocal<Boolean> LIMITED = ThreadLocal.withInitial(() -> false);

    /**
     * Applies the intra-op thread count ({@link #limitThreads}) to the calling thread; cheap after
     * the first call on a thread. PyTorch's CPU build runs its ops on OpenMP, whose thread count is
     * per calling thread: DJL sets it only on the thread that starts the engine, so every other
     * thread that runs the model — a Kafka Streams thread, the frame encoder's batching thread, a
     * training prefetcher — used all the cores whatever vidqa.torch.threads said (measured here: a
     * matmul loop on a second thread ran with 2 threads after the engine was set to 1). Every model
     * entry point calls this.
     */
    public static void useThreadLimit() {
        if (LIMITED.get()) {
            return;
        }
        LIMITED.set(true);
        String n = System.getProperty(THREADS_PROPERTY);
        if (n != null) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(Math.max(1, Integer.parseInt(n.trim())));
        }
    }

    /** Whether {@link #useThreadLimit} has run on the calling thread. */
    public static boolean threadLimitApplied() {
        return LIMITED.get();
    }

    /** The cores left when one other thread (a prefetcher, say) keeps one busy: at least 1. */
    public static int coresBesideOneThread() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    public static Engine pytorch() {
        ensureOffline();
        return Engine.getEngine("PyTorch");
    }
}
