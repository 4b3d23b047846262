package dev.vidqa.topology.train;

import java.io.PrintStream;
import java.util.Locale;

/** A progress bar with loss, samples/s and ETA on a terminal; a line every 10% otherwise (logs, CI). */
final class TrainProgress {
    private final PrintStream out;
    private final long total;
    private final long start;
    private final int batch;
    private final boolean terminal = System.console() != null;
    private long lastDecile = -1;

    TrainProgress(PrintStream out, long total, long start, int batch) {
        this.out = out;
        this.total = Math.max(1, total);
        this.start = start;
        this.batch = batch;
    }

    void update(long done, double loss, double samplesPerSecond) {
        double eta = samplesPerSecond > 0 ? (total - done) * (double) batch / samplesPerSecond : 0;
        int width = 30;
        int fill = (int) (done * width / total);
        String bar = "[" + "=".repeat(fill) + (fill < width ? ">" + " ".repeat(width - fill - 1) : "") + "]";
        String line = String.format(Locale.ROOT, "%s step %d/%d  loss %.4f  %.1f samples/s  ETA %s", bar, done, total,
                loss, samplesPerSecond, clock(eta));
        if (terminal) {
            out.print("\r" + line + "   ");
            if (done == total) {
                out.println();
            }
        } else {
            long decile = (done - start) * 10 / Math.max(1, total - start);
            if (decile != lastDecile || done == total) {
                lastDecile = decile;
                out.println(line);
            }
        }
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%02d:%02d", s / 60, s % 60);
    }
}
