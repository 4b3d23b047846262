package dev.vidqa.topology.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.topology.eval.DatasetReader;
import dev.vidqa.topology.eval.EvalDataset;
import dev.vidqa.topology.eval.EvalItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A named dataset for training or held-out evaluation: JSONL ({@code video, question, answer |
 * answers, task?, id?}) or any format {@code vidqa eval} reads (MSVD-QA, MSRVTT-QA, iVQA).
 *
 * <p>Given on the command line as {@code FILE[:FORMAT]}: the format defaults to {@code jsonl};
 * the name is the file's base name; videos are looked up relative to the file's directory, or
 * under {@code --videos}.
 */
public record TrainDataset(String name, EvalDataset format, List<TrainExample> examples) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Larger annotation files are refused rather than read into memory. */
    static final long MAX_FILE_BYTES = 512L << 20;

    public int size() {
        return examples.size();
    }

    /** Examples whose video file exists. */
    public List<TrainExample> present() {
        return examples.stream().filter(e -> e.video() != null).toList();
    }

    /** Parses {@code FILE[:FORMAT]} and reads the dataset. */
    public static TrainDataset read(String spec, Path videos) throws IOException {
        String file = spec;
        EvalDataset format = EvalDataset.JSONL;
        int colon = spec.lastIndexOf(':');
        if (colon > 0) {
            try {
                format = EvalDataset.parse(spec.substring(colon + 1));
                file = spec.substring(0, colon);
            } catch (IllegalArgumentException notAFormat) {
                // a colon that is part of the path
            }
        }
        Path path = Path.of(file);
        try {
            dev.vidqa.qformer.config.JsonFiles.checkReadable(path, MAX_FILE_BYTES);
        } catch (dev.vidqa.qformer.config.ConfigException e) {
            throw new IllegalArgumentException("training data: " + e.getMessage());
        }
        String base = path.getFileName().toString();
        String name = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
        Path videoDir = videos != null ? videos : path.toAbsolutePath().getParent();
        List<TrainExample> out = new ArrayList<>();
        if (format == EvalDataset.JSONL) {
            out = jsonl(name, path, videoDir);
        } else {
            for (EvalItem i : DatasetReader.read(format, path, videoDir, null, null)) {
                out.add(new TrainExample(name, i.id(), i.videoKey(), i.video(), i.question(), i.answers(), null));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(path + " holds no examples");
        }
        return new TrainDataset(name, format, out);
    }

    private static List<TrainExample> jsonl(String name, Path file, Path videos) throws IOException {
        List<TrainExample> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            if (!n.hasNonNull("video") || !n.hasNonNull("question") || !(n.has("answer") || n.has("answers"))) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": needs video, question and answer(s)");
            }
            List<String> answers = new ArrayList<>();
            if (n.has("answers")) {
                n.get("answers").forEach(a -> answers.add(a.asText()));
            } else {
                answers.add(n.get("answer").asText());
            }
            String key = n.get("video").asText();
            Path p = Path.of(key);
            Path video = p.isAbsolute() ? p : videos.resolve(key);
            String id = n.hasNonNull("id") ? n.get("id").asText() : name + "-" + (i + 1);
            try {
                out.add(new TrainExample(name, id, key, Files.isRegularFile(video) ? video : null,
                        n.get("question").asText(), answers, n.path("task").asText(null)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }
}
