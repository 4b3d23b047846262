package dev.vidqa.ingest.sources;

import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source, ingested on its own thread until stopped: when it drops (or cannot be opened, or a
 * file ends) it is opened again after a backoff that doubles from 1 s up to {@link #MAX_BACKOFF_SECONDS}
 * and starts over once chunks flow. Every change of state is reported.
 */
final class SourceRunner implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceRunner.class);
    static final double MAX_BACKOFF_SECONDS = 60;

    final SourceRecord source;
    private final Chunker.Sink sink;
    private final Consumer<SourceStatus> status;
    private final String worker;
    private final double firstBackoffSeconds;
    private volatile boolean stopped;
    private volatile Ingestor current;
    private volatile Thread thread;

    SourceRunner(SourceRecord source, Chunker.Sink sink, Consumer<SourceStatus> status, String worker,
                 double firstBackoffSeconds) {
        this.source = source;
        this.sink = sink;
        this.status = status;
        this.worker = worker;
        this.firstBackoffSeconds = firstBackoffSeconds;
    }

    void start() {
        thread = new Thread(this, "vidqa-source-" + source.streamId());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        int failures = 0;
        while (!stopped) {
            long[] lastChunk = {0};
            Ingestor ingestor = new Ingestor(new Chunker(source.chunkLength()), c -> {
                sink.accept(c);
                if (lastChunk[0] == 0) {
                    report(SourceStatus.CONNECTED, null, null, c.wallClockMillis());
                }
                lastChunk[0] = c.wallClockMillis();
            });
            current = ingestor;
            String reason;
            try {
                ingestor.ingest(source.streamId(), source.url());
                reason = "the source ended";
            } catch (Exception e) {
                reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            }
            if (stopped) {
                break;
            }
            failures = lastChunk[0] > 0 ? 1 : failures + 1; // chunks flowed: the backoff starts over
            double wait = Math.min(MAX_BACKOFF_SECONDS, firstBackoffSeconds * Math.pow(2, failures - 1));
            LOG.warn("source {} ({}): {}; reconnecting in {} s", source.streamId(), source.url(), reason, wait);
            report(lastChunk[0] == 0 && failures >= SourceStatus.FAILED_AFTER ? SourceStatus.FAILED : SourceStatus.RECONNECTING,
                    reason, wait, lastChunk[0] == 0 ? null : lastChunk[0]);
            try {
                Thread.sleep(Math.round(wait * 1000));
            } catch (InterruptedException e) {
                break; // stopped
            }
        }
        report(SourceStatus.STOPPED, null, null, null);
    }

    /** Stops ingesting (after the current chunk) and waits a moment for the thread to end. */
    void stop() {
        stopped = true;
        Ingestor i = current;
        if (i != null) {
            i.stop();
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void report(String state, String reason, Double retry, Long lastChunkAt) {
        status.accept(new SourceStatus(source.streamId(), state, reason, retry, lastChunkAt, worker,
                Instant.now().toString()));
    }
}
