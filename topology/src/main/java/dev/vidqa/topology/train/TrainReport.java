package dev.vidqa.topology.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: self-contained (inline SVG, no scripts): loss and learning rate over steps,
 * held-out accuracy over steps, the run's settings and the videos that were skipped.
 */
final class TrainReport {
    private TrainReport() {}

    static Path write(Path dir, TrainSettings s, List<JsonNode> log, Map<Path, String> skipped, String status)
            throws IOException {
        List<double[]> loss = new ArrayList<>();
        List<double[]> lr = new ArrayList<>();
        List<double[]> acc = new ArrayList<>();
        for (JsonNode n : log) {
            double step = n.path("step").asDouble();
            if (n.has("loss")) {
                loss.add(new double[] {step, n.get("loss").asDouble()});
                lr.add(new double[] {step, n.get("lr").asDouble()});
            }
            if (n.has("eval_overall")) {
                acc.add(new double[] {step, n.get("eval_overall").asDouble()});
            }
        }
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>vidqa train report</title><style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:60em}td,th{padding:2px 8px;text-align:left}")
                .append("svg{background:#fafafa;border:1px solid #ddd}</style></head><body>")
                .append("<h1>vidqa train</h1><p>").append(esc(status)).append("</p>");
        h.append("<table>");
        row(h, "model", s.model().toString());
        row(h, "trained", s.parts().cliName());
        row(h, "training data", String.join(", ", s.trainData()));
        row(h, "held-out data", s.evalData().isEmpty() ? "none" : String.join(", ", s.evalData()));
        row(h, "steps / batch / micro-batch", s.steps() + " / " + s.batch() + " / " + s.microBatch());
        row(h, "peak lr / warm-up / weight decay / clip", s.lr() + " / " + s.warmupSteps() + " / " + s.weightDecay()
                + " / " + s.maxGradNorm());
        row(h, "seed / frames / mix", s.seed() + " / " + s.sampling() + " / " + s.mix().name().toLowerCase(Locale.ROOT));
        h.append("</table>");
        h.append("<h2>Training loss</h2>").append(chart(loss, "loss", false));
        h.append("<h2>Learning rate</h2>").append(chart(lr, "lr", false));
        h.append("<h2>Held-out accuracy (%)</h2>").append(acc.isEmpty() ? "<p>no held-out evaluation</p>"
                : chart(acc, "accuracy", true));
        h.append("<h2>Skipped videos (").append(skipped.size()).append(")</h2><ul>");
        skipped.forEach((p, why) -> h.append("<li>").append(esc(p.toString())).append(": ").append(esc(why)).append("</li>"));
        h.append("</ul></body></html>\n");
        Path f = dir.resolve("report.html");
        Files.writeString(f, h.toString(), StandardCharsets.UTF_8);
        return f;
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    /** A line chart of (x, y) points with labelled axes' ranges; points drawn when there are few. */
    static String chart(List<double[]> pts, String label, boolean percent) {
        int w = 720;
        int hgt = 240;
        int pad = 50;
        if (pts.isEmpty()) {
            return "<p>no data</p>";
        }
        double x0 = pts.get(0)[0];
        double x1 = pts.get(pts.size() - 1)[0];
        double y0 = percent ? 0 : pts.stream().mapToDouble(p -> p[1]).min().orElse(0);
        double y1 = percent ? 100 : pts.stream().mapToDouble(p -> p[1]).max().orElse(1);
        if (x1 == x0) {
            x1 = x0 + 1;
        }
        if (y1 == y0) {
            y1 = y0 + 1;
        }
        StringBuilder poly = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (double[] p : pts) {
            double x = pad + (p[0] - x0) / (x1 - x0) * (w - 2 * pad);
            double y = hgt - pad + -(p[1] - y0) / (y1 - y0) * (hgt - 2 * pad);
            poly.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            if (pts.size() <= 50) {
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f6feb\"/>", x, y));
            }
        }
        return String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">"
                        + "<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"%s\"/>%s"
                        + "<text x=\"4\" y=\"%d\" font-size=\"11\">%.4g</text><text x=\"4\" y=\"%d\" font-size=\"11\">%.4g</text>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"11\">step %.0f</text><text x=\"%d\" y=\"%d\" font-size=\"11\""
                        + " text-anchor=\"end\">step %.0f</text></svg>",
                w, hgt, label, poly.toString().trim(), dots, pad, y1, hgt - pad, y0, pad, hgt - 8, x0, w - pad, hgt - 8, x1);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
