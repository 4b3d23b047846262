package dev.vidqa.topology.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the published annotation formats and maps their video ids to files. */
public final class DatasetReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EXTENSIONS = List.of(".mp4", ".avi", ".webm", ".mkv", ".mov", ".mpg", ".mpeg",
            ".ts", ".m4v", ".flv", ".3gp");

    private DatasetReader() {}

    /**
     * @param mapping MSVD's {@code youtube_mapping.txt} ("youtubeId_start_end vidN" per line), optional
     * @param candidates answers to rank for every question (from {@code --candidates FILE}), or null
     */
    public static List<EvalItem> read(EvalDataset dataset, Path qa, Path videos, Path mapping, List<String> candidates)
            throws IOException {
        if (!Files.isRegularFile(qa)) {
            throw new IOException(qa + ": no such annotation file");
        }
        Map<String, Path> files = index(videos);
        List<EvalItem> items = switch (dataset) {
            case MSVD_QA, MSRVTT_QA -> jsonList(dataset, qa, files, msvdMapping(mapping));
            case IVQA -> ivqa(qa, files);
            case JSONL -> jsonl(qa, videos, files);
        };
        if (candidates != null && !candidates.isEmpty()) {
            List<EvalItem> out = new ArrayList<>();
            for (EvalItem i : items) {
                out.add(new EvalItem(i.id(), i.videoKey(), i.video(), i.question(), i.answers(),
                        i.candidates() != null ? i.candidates() : candidates));
            }
            return out;
        }
        return items;
    }

    /** Video files under {@code dir} (and one level below) by base name without extension. */
    static Map<String, Path> index(Path dir) throws IOException {
        Map<String, Path> out = new HashMap<>();
        if (dir == null) {
            return out;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such videos directory");
        }
        try (Stream<Path> s = Files.walk(dir, 2)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                String name = p.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                for (String ext : EXTENSIONS) {
                    if (lower.endsWith(ext)) {
                        out.putIfAbsent(name.substring(0, name.length() - ext.length()), p);
                        out.putIfAbsent(name, p);
                    }
                }
            });
        }
        return out;
    }

    static Map<String, String> msvdMapping(Path mapping) throws IOException {
        Map<String, String> m = new HashMap<>();
        if (mapping == null) {
            return m;
        }
        for (String line : Files.readAllLines(mapping, StandardCharsets.UTF_8)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                m.put(parts[1], parts[0]); // vidN -> youtube name
            }
        }
        return m;
    }

    private static Path find(Map<String, Path> files, String... names) {
        for (String n : names) {
            if (n != null && files.containsKey(n)) {
                return files.get(n);
            }
        }
        return null;
    }

    private static List<EvalItem> jsonList(EvalDataset d, Path qa, Map<String, Path> files, Map<String, String> mapping)
            throws IOException {
        JsonNode root = JSON.readTree(qa.toFile());
        if (!root.isArray()) {
            throw new IOException(qa + ": expected a JSON list of {video_id, question, answer, id}");
        }
        List<EvalItem> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : root) {
            JsonNode vid = n.has("video_id") ? n.get("video_id") : n.get("video");
            if (vid == null || !n.has("question") || !n.has("answer")) {
                throw new IOException(qa + ": entry " + i + " lacks video_id/video, question or answer");
            }
            String key = vid.asText();
            Path video;
            if (d == EvalDataset.MSVD_QA) {
                String vidN = key.startsWith("vid") ? key : "vid" + key;
                video = find(files, mapping.get(vidN), vidN, key);
            } else {
                String videoN = key.startsWith("video") ? key : "video" + key;
                video = find(files, videoN, key);
            }
            String id = n.has("id") ? n.get("id").asText() : Integer.toString(i);
            out.add(new EvalItem(id, key, video, n.get("question").asText(), List.of(n.get("answer").asText()), null));
            i++;
        }
        return out;
    }

    private static List<EvalItem> ivqa(Path qa, Map<String, Path> files) throws IOException {
        List<EvalItem> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(qa, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new IOException(qa + ": empty CSV");
            }
            List<String> cols = Csv.parse(header);
            int vid = cols.indexOf("video_id");
            int start = cols.indexOf("start");
            int end = cols.indexOf("end");
            int q = cols.indexOf("question");
            int idCol = cols.indexOf("id");
            if (vid < 0 || q < 0) {
                throw new IOException(qa + ": iVQA CSV needs video_id and question columns, got " + cols);
            }
            List<Integer> answerCols = new ArrayList<>();
            for (int c = 0; c < cols.size(); c++) {
                if (cols.get(c).matches("answer\\d*")) {
                    answerCols.add(c);
                }
            }
            String line;
            int row = 0;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> v = Csv.parse(line);
                String video = v.get(vid);
                String s = start >= 0 && start < v.size() ? v.get(start) : null;
                String e = end >= 0 && end < v.size() ? v.get(end) : null;
                String clip = s != null && e != null ? video + "_" + trimNumber(s) + "_" + trimNumber(e) : null;
                List<String> answers = new ArrayList<>();
                for (int c : answerCols) {
                    if (c < v.size() && !v.get(c).isBlank()) {
                        answers.add(v.get(c));
                    }
                }
                String id = idCol >= 0 ? v.get(idCol) : Integer.toString(row);
                out.add(new EvalItem(id, clip != null ? clip : video, find(files, clip, video), v.get(q), answers, null));
                row++;
            }
        }
        return out;
    }

    private static String trimNumber(String s) {
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** JSONL fields reported apart in the summary (the generated world's held-out markers). */
    static final List<String> TAGS = List.of("phrasing", "combo");

    private static List<EvalItem> jsonl(Path qa, Path videos, Map<String, Path> files) throws IOException {
        List<EvalItem> out = new ArrayList<>();
        int i = 0;
        for (String line : Files.readAllLines(qa, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if (!n.has("video") || !n.has("question") || !(n.has("answer") || n.has("answers"))) {
                throw new IOException(qa + ": line " + (i + 1) + " lacks video, question or answer(s)");
            }
            String key = n.get("video").asText();
            Path p = Path.of(key);
            Path video = p.isAbsolute() && Files.isRegularFile(p) ? p
                    : videos != null && Files.isRegularFile(videos.resolve(key)) ? videos.resolve(key) : find(files, key);
            List<String> answers = new ArrayList<>();
            if (n.has("answers")) {
                n.get("answers").forEach(a -> answers.add(a.asText()));
            } else {
                answers.add(n.get("answer").asText());
            }
            List<String> cands = null;
            if (n.has("candidates")) {
                cands = new ArrayList<>();
                for (JsonNode c : n.get("candidates")) {
                    cands.add(c.asText());
                }
            }
            String id = n.has("id") ? n.get("id").asText() : Integer.toString(i);
            java.util.Map<String, String> tags = new java.util.TreeMap<>();
            for (String tag : TAGS) {
                if (n.hasNonNull(tag)) {
                    tags.put(tag, n.get(tag).asText());
                }
            }
            out.add(new EvalItem(id, key, video, n.get("question").asText(), answers, cands,
                    n.hasNonNull("type") ? n.get("type").asText() : null, tags));
            i++;
        }
        return out;
    }

    /** Minimal RFC 4180 CSV line parsing (quoted fields, doubled quotes). */
    static final class Csv {
        private Csv() {}

        static List<String> parse(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cur.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    out.add(cur.toString().trim());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString().trim());
            return out;
        }
    }
}
