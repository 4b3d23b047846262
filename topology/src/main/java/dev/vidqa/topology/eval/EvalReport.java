package dev.vidqa.topology.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The summary of a run (overall and per question type), as JSON and as a self-contained HTML page. */
public record EvalReport(String dataset, String model, int questions, int scored, int missingVideos, int errors,
                         double accuracy, Map<String, TypeScore> byType, Map<String, TypeScore> byTag,
                         Double pathAgreement, Map<String, Object> settings) {

    /** Accuracy (x100) and count of one question type. */
    public record TypeScore(int n, double accuracy) {}

    /** Accuracy is over every question with a video (errors count as wrong); missing videos are reported apart. */
    public static EvalReport of(String dataset, String model, List<Prediction> predictions, Map<String, Object> settings) {
        int missing = 0;
        int errors = 0;
        double sum = 0;
        int scored = 0;
        Map<String, double[]> types = new LinkedHashMap<>();
        for (String t : EvalItem.TYPES) {
            types.put(t, new double[2]);
        }
        Map<String, double[]> tags = new java.util.TreeMap<>();
        int agree = 0;
        int compared = 0;
        for (Prediction p : predictions) {
            if (Prediction.MISSING_VIDEO.equals(p.status())) {
                missing++;
                continue;
            }
            if (Prediction.ERROR.equals(p.status())) {
                errors++;
            }
            double s = p.score() == null ? 0 : p.score();
            sum += s;
            scored++;
            double[] t = types.computeIfAbsent(p.type(), k -> new double[2]);
            t[0]++;
            t[1] += s;
            for (Map.Entry<String, String> tag : p.tags().entrySet()) {
                double[] g = tags.computeIfAbsent(tag.getKey() + "=" + tag.getValue(), k -> new double[2]);
                g[0]++;
                g[1] += s;
            }
            if (p.pathsAgree() != null) {
                compared++;
                agree += p.pathsAgree() ? 1 : 0;
            }
        }
        boolean declared = !EvalItem.TYPES.containsAll(types.keySet());
        Map<String, TypeScore> byType = new LinkedHashMap<>();
        types.forEach((k, v) -> {
            if (!declared || v[0] > 0) { // a dataset with its own types lists only those
                byType.put(k, new TypeScore((int) v[0], v[0] == 0 ? 0 : 100 * v[1] / v[0]));
            }
        });
        Map<String, TypeScore> byTag = new LinkedHashMap<>();
        tags.forEach((k, v) -> byTag.put(k, new TypeScore((int) v[0], 100 * v[1] / v[0])));
        return new EvalReport(dataset, model, predictions.size(), scored, missing, errors,
                scored == 0 ? 0 : 100 * sum / scored, byType, byTag, compared == 0 ? null : 100.0 * agree / compared,
                settings);
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("summary.json").toFile(), this);
        Files.writeString(dir.resolve("report.html"), html(), StandardCharsets.UTF_8);
    }

    String html() {
        StringBuilder bars = new StringBuilder();
        int x = 60;
        int h = 200;
        for (Map.Entry<String, TypeScore> e : byType.entrySet()) {
            TypeScore t = e.getValue();
            int bh = (int) Math.round(h * t.accuracy() / 100);
            bars.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"50\" height=\"%d\" fill=\"#4c78a8\"/>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%.1f</text>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%s</text>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"#666\">n=%d</text>",
                    x, 20 + h - bh, bh, x + 25, 15 + h - bh, t.accuracy(), x + 25, h + 38, esc(e.getKey()), x + 25, h + 52,
                    t.n()));
            x += 70;
        }
        StringBuilder rows = new StringBuilder();
        byType.forEach((k, t) -> rows.append(String.format("<tr><td>%s</td><td>%d</td><td>%.2f</td></tr>", esc(k), t.n(),
                t.accuracy())));
        StringBuilder set = new StringBuilder();
        settings.forEach((k, v) -> set.append(String.format("<tr><td>%s</td><td>%s</td></tr>", esc(k), esc(String.valueOf(v)))));
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>vidqa eval: " + esc(dataset) + "</title>"
                + "<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}</style></head><body>"
                + "<h1>vidqa evaluation: " + esc(dataset) + "</h1>"
                + String.format("<p><b>Accuracy %.2f</b> over %d questions (%d without a video, %d errors)%s. Model: %s.</p>",
                accuracy, scored, missingVideos, errors, pathAgreement == null ? ""
                        : String.format("; Kafka and direct paths agree on %.1f%%", pathAgreement), esc(model))
                + "<svg width=\"" + (x + 20) + "\" height=\"" + (h + 70) + "\" role=\"img\" aria-label=\"accuracy by question type\">"
                + "<line x1=\"50\" y1=\"220\" x2=\"" + x + "\" y2=\"220\" stroke=\"#333\"/>" + bars + "</svg>"
                + "<h2>By question type</h2><table><tr><th>type</th><th>n</th><th>accuracy</th></tr>" + rows + "</table>"
                + "<h2>Settings</h2><table>" + set + "</table>"
                + "<p>Per-question predictions: <code>predictions.jsonl</code>.</p></body></html>\n";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
