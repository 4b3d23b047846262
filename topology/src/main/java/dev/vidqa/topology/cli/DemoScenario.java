package dev.vidqa.topology.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidqa.answerer.eval.VqaNormalizer;
import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.frames.world.WorldWriter;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code vidqa demo} streams and asks: questions asked before the video arrives (they wait for
 * their frames), the video, questions asked after it, and — where the scene is known — the truth.
 */
interface DemoScenario {
    String stream();

    /** A file or a directory of clips, ingested one after the other. */
    Path video();

    List<QuestionRecord> before();

    List<QuestionRecord> after();

    /** The true answer of a question, or null where nobody knows it. */
    default String truth(String questionId) {
        return null;
    }

    /** The sample street video and open questions: the path is real, the answers are the model's. */
    record City(Path video) implements DemoScenario {
        @Override
        public String stream() {
            return "city-cam";
        }

        @Override
        public List<QuestionRecord> before() {
            String clip = video.getFileName().toString();
            return List.of(
                    new QuestionRecord("q1", stream(), "what is happening in the street?", Window.clip(clip), null, null),
                    new QuestionRecord("q3", stream(), "what is moving?", Window.range(2, 6),
                            List.of("cars", "people", "a bus", "a dog"), null),
                    new QuestionRecord("q4", "lobby-cam", "is anyone there?", Window.latest(10), null, null));
        }

        @Override
        public List<QuestionRecord> after() {
            return List.of(new QuestionRecord("q2", stream(), "how many cars are there?", Window.latest(4), null, null));
        }
    }

    /**
     * A generated camera feed: held-out world clips (6 s each) one after the other, so objects come
     * and go; for each clip one question about the clip by name and one about its time span, and one
     * about the latest 6 s once the feed has ended — each with the answer the scene makes true.
     */
    final class World implements DemoScenario {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Path clips;
        private final List<QuestionRecord> before = new ArrayList<>();
        private final List<QuestionRecord> after = new ArrayList<>();
        private final Map<String, String> truth = new LinkedHashMap<>();

        World(Path dir, int count, long seed) throws IOException {
            WorldWriter.write(dir, new WorldWriter.Spec(seed, count, WorldSplit.HELDOUT, 160, 120, 10, 6.0,
                    Runtime.getRuntime().availableProcessors()));
            this.clips = dir.resolve("clips");
            Map<String, List<JsonNode>> byClip = new LinkedHashMap<>();
            for (String line : Files.readAllLines(dir.resolve("qa.jsonl"), StandardCharsets.UTF_8)) {
                JsonNode q = JSON.readTree(line);
                byClip.computeIfAbsent(Path.of(q.get("video").asText()).getFileName().toString(), k -> new ArrayList<>())
                        .add(q);
            }
            int k = 0;
            for (Map.Entry<String, List<JsonNode>> e : byClip.entrySet()) {
                List<JsonNode> qs = e.getValue();
                boolean last = k == byClip.size() - 1;
                add(before, qs.get(k % qs.size()), Window.clip(e.getKey()), "clip");
                add(before, qs.get((k + 2) % qs.size()), Window.range(6.0 * k, 6.0 * (k + 1)), "span");
                if (last) {
                    add(after, qs.get((k + 4) % qs.size()), Window.latest(6), "latest");
                }
                k++;
            }
        }

        private void add(List<QuestionRecord> to, JsonNode q, Window w, String kind) {
            String id = q.get("id").asText() + "-" + kind;
            to.add(new QuestionRecord(id, stream(), q.get("question").asText(), w, null, null));
            truth.put(id, q.get("answer").asText());
        }

        @Override
        public String stream() {
            return "world-cam";
        }

        @Override
        public Path video() {
            return clips;
        }

        @Override
        public List<QuestionRecord> before() {
            return before;
        }

        @Override
        public List<QuestionRecord> after() {
            return after;
        }

        @Override
        public String truth(String questionId) {
            return truth.get(questionId);
        }
    }

    /** Whether an answer says the truth (VQA normalisation: "Red." is "red"). */
    static boolean right(AnswerRecord a, String truth) {
        return truth != null && AnswerRecord.OK.equals(a.status()) && a.answer() != null
                && VqaNormalizer.normalize(a.answer()).equals(VqaNormalizer.normalize(truth));
    }
}
