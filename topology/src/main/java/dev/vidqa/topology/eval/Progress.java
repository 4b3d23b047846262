package dev.vidqa.topology.eval;

import java.io.PrintStream;

/** A progress bar with rate and ETA on a terminal; a line every 10% otherwise (logs, CI). */
final class Progress {
    private final PrintStream out;
    private final int total;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private int lastDecile = -1;

    Progress(PrintStream out, int total) {
        this.out = out;
        this.total = Math.max(1, total);
        this.terminal = System.console() != null;
    }

    void update(int done, String note) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        double eta = rate > 0 ? (total - done) / rate : 0;
        String line = String.format("%s %d/%d %5.1f%%  %.2f q/s  ETA %s  %s", bar(done), done, total,
                100.0 * done / total, rate, clock(eta), note == null ? "" : note);
        if (terminal) {
            out.print("\r" + line + "   ");
            if (done == total) {
                out.println();
            }
        } else {
            int decile = done * 10 / total;
            if (decile != lastDecile || done == total) {
                lastDecile = decile;
                out.println(line);
            }
        }
        out.flush();
    }

    private String bar(int done) {
        int width = 30;
        int fill = (int) ((long) done * width / total);
        return "[" + "=".repeat(fill) + (fill < width ? ">" + " ".repeat(width - fill - 1) : "") + "]";
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%02d:%02d", s / 60, s % 60);
    }
}
