package dev.vidqa.topology.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Instruction templates per task ({@code {}} is the question), one drawn per training sample as
 * the paper does. The default file ships the paper's VQA templates, read for video.
 */
public final class InstructionTemplates {
    private static final String DEFAULT = "instruction-templates.json";
    private final Map<String, List<String>> byTask;

    private InstructionTemplates(Map<String, List<String>> byTask) {
        this.byTask = byTask;
    }

    public static InstructionTemplates defaults() {
        try (InputStream in = InstructionTemplates.class.getResourceAsStream(DEFAULT)) {
            return parse(new ObjectMapper().readTree(in), DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code {"task": ["template with {}", ...], ...}}. */
    public static InstructionTemplates read(Path file) throws IOException {
        return parse(dev.vidqa.qformer.config.JsonFiles.read(file, 1 << 20), file.toString());
    }

    private static InstructionTemplates parse(JsonNode root, String where) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("_")) {
                return;
            }
            List<String> list = new ArrayList<>();
            if (!e.getValue().isArray()) {
                throw new IllegalArgumentException(where + ": task '" + e.getKey() + "' needs a list of templates");
            }
            for (JsonNode t : e.getValue()) {
                String s = t.asText();
                if (s.indexOf("{}") < 0) {
                    throw new IllegalArgumentException(where + ": template '" + s + "' has no {} for the question");
                }
                list.add(s);
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException(where + ": task '" + e.getKey() + "' has no templates");
            }
            out.put(e.getKey(), List.copyOf(list));
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException(where + ": no templates");
        }
        return new InstructionTemplates(out);
    }

    public List<String> forTask(String task) {
        List<String> t = byTask.get(task);
        if (t == null) {
            throw new IllegalArgumentException("no instruction templates for task '" + task + "' (have "
                    + byTask.keySet() + ")");
        }
        return t;
    }

    /** The prompt for {@code question} under a template of {@code task} drawn from {@code rnd}. */
    public String draw(String task, String question, SplittableRandom rnd) {
        List<String> t = forTask(task);
        return apply(t.get(rnd.nextInt(t.size())), question);
    }

    public static String apply(String template, String question) {
        return template.replace("{}", question.strip());
    }
}
