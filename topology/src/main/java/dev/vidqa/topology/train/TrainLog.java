package dev.vidqa.topology.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidqa.answerer.train.Trainer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code train-log.jsonl}: one line per step ({@code step, loss, lr, grad_norm, samples_per_s})
 * and one per held-out evaluation ({@code step, eval: {dataset: accuracy}, eval_overall}).
 * Appended as the run goes; a resumed run drops the lines of steps it will redo.
 */
final class TrainLog implements AutoCloseable {
    static final String FILE = "train-log.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    TrainLog(Path dir, long resumeStep) throws IOException {
        Path f = dir.resolve(FILE);
        if (Files.exists(f)) {
            List<String> keep = new ArrayList<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                try {
                    if (!line.isBlank() && JSON.readTree(line).path("step").asLong(Long.MAX_VALUE) < resumeStep) {
                        keep.add(line);
                    }
                } catch (IOException damaged) {
                    // a line cut by a crash: dropped
                }
            }
            Files.write(f, keep, StandardCharsets.UTF_8);
        }
        out = Files.newBufferedWriter(f, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    void step(Trainer.StepResult r, double samplesPerSecond) throws IOException {
        ObjectNode n = JSON.createObjectNode().put("step", r.step()).put("loss", r.loss()).put("lr", r.lr())
                .put("grad_norm", r.gradNorm()).put("examples", r.examples()).put("tokens", r.tokens())
                .put("samples_per_s", samplesPerSecond);
        write(n);
    }

    void eval(HeldOutEval.Result r) throws IOException {
        ObjectNode n = JSON.createObjectNode().put("step", r.step());
        ObjectNode e = n.putObject("eval");
        r.accuracy().forEach(e::put);
        ObjectNode c = n.putObject("eval_counts");
        r.counts().forEach(c::put);
        n.put("eval_overall", r.overall());
        write(n);
    }

    private void write(ObjectNode n) throws IOException {
        out.write(JSON.writeValueAsString(n));
        out.newLine();
        out.flush();
    }

    /** Every line of a log file. */
    static List<JsonNode> read(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return out;
        }
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
