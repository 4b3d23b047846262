package dev.vidqa.topology.cli;

import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.Window;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidqa ask}: produce a question and wait for its answer. */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = "Ask a question about a stream and wait for the answer; or publish many (--questions FILE.jsonl).")
public final class AskCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--stream-id", description = "the stream to ask about")
    String streamId;

    @Option(names = "--questions", paramLabel = "FILE.jsonl",
            description = "publish every question record of this file (one JSON question per line) at once")
    java.nio.file.Path questionsFile;

    @Option(names = "--no-wait", description = "publish and exit without waiting for answers")
    boolean noWait;

    @Option(names = "--window", defaultValue = "10s", description = "the latest span of the stream (default: ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--clip", description = "ask about a whole clip (e.g. the ingested file's name) instead")
    String clip;

    @Option(names = "--from", description = "ask about [from, to) seconds of stream time instead")
    Double from;

    @Option(names = "--to", description = "end of the --from span")
    Double to;

    @Option(names = "--candidates", paramLabel = "A,B,C", description = "rank these answers")
    String candidates;

    @Option(names = "--id", description = "question id (default: a random UUID)")
    String id;

    @Option(names = "--timeout", defaultValue = "120s", description = "how long to wait (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--json", description = "print the answer record as JSON")
    boolean json;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Parameters(index = "0", paramLabel = "QUESTION", arity = "0..1")
    String question;

    @Override
    public Integer call() throws Exception {
        VidqaConfig config = kafka.vidqaConfig();
        if (questionsFile != null) {
            return askMany(config);
        }
        if (streamId == null || question == null) {
            throw new IllegalArgumentException("give --stream-id and a QUESTION, or --questions FILE.jsonl");
        }
        Window w = clip != null ? Window.clip(clip)
                : from != null || to != null ? Window.range(from == null ? 0 : from, to == null ? Double.MAX_VALUE : to)
                : Window.latest(AnswerCommand.parseDuration(window).toMillis() / 1000.0);
        List<String> cands = ModelOptions.candidates(candidates);
        QuestionRecord q = new QuestionRecord(id != null ? id : UUID.randomUUID().toString(), streamId, question, w,
                cands.isEmpty() ? null : cands, null);
        q.validate();
        if (noWait) {
            try (QuestionPublisher publisher = new QuestionPublisher(kafka.client(), config.topics().questions().name())) {
                publisher.send(q);
            }
            System.out.println(q.id());
            return 0;
        }
        try (AnswerWatcher watcher = new AnswerWatcher(kafka.client(), config.topics().answers().name(), false);
             QuestionPublisher publisher = new QuestionPublisher(kafka.client(), config.topics().questions().name())) {
            publisher.send(q);
            Map<String, AnswerRecord> got = watcher.await(List.of(q.id()), AnswerCommand.parseDuration(timeout), a -> { },
                    null);
            AnswerRecord a = got.get(q.id());
            if (a == null) {
                System.err.println("vidqa: no answer to " + q.id() + " within " + timeout);
                return 6;
            }
            if (json) {
                System.out.println(new String(Json.write(a), java.nio.charset.StandardCharsets.UTF_8));
            } else {
                DemoCommand.print(System.out, q, a);
            }
            return AnswerRecord.OK.equals(a.status()) ? 0 : 7;
        }
    }

    /** Maximum size of a --questions file read into memory. */
    static final long MAX_QUESTIONS_FILE_BYTES = 256L << 20;

    /**
     * Publishes every question of the file (pipelined); without {@code --no-wait}, waits for all
     * their answers and prints them. Every line is checked before anything is sent.
     */
    private int askMany(VidqaConfig config) throws Exception {
        dev.vidqa.qformer.config.JsonFiles.checkReadable(questionsFile, MAX_QUESTIONS_FILE_BYTES);
        List<QuestionRecord> qs = new java.util.ArrayList<>();
        List<String> lines = java.nio.file.Files.readAllLines(questionsFile, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            QuestionRecord q;
            try {
                q = Json.question(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (q.streamId() == null && streamId != null) {
                    q = new QuestionRecord(q.id(), streamId, q.question(), q.window(), q.candidates(), q.options());
                }
                if (q.id() == null || q.id().isBlank()) {
                    q = new QuestionRecord(UUID.randomUUID().toString(), q.streamId(), q.question(), q.window(),
                            q.candidates(), q.options());
                }
                if (q.streamId() == null || q.streamId().isBlank()) {
                    throw new IllegalArgumentException("no streamId (and no --stream-id)");
                }
                q.validate();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(questionsFile + " line " + (i + 1) + ": " + e.getMessage());
            }
            qs.add(q);
        }
        List<String> ids = qs.stream().map(QuestionRecord::id).toList();
        try (AnswerWatcher watcher = noWait ? null : new AnswerWatcher(kafka.client(), config.topics().answers().name(), false);
             QuestionPublisher publisher = new QuestionPublisher(kafka.client(), config.topics().questions().name())) {
            publisher.sendAll(qs);
            System.err.println("vidqa: published " + qs.size() + " questions to " + config.topics().questions().name());
            if (noWait) {
                ids.forEach(System.out::println);
                return 0;
            }
            Map<String, AnswerRecord> got = watcher.await(ids, AnswerCommand.parseDuration(timeout), a -> { }, null);
            for (QuestionRecord q : qs) {
                AnswerRecord a = got.get(q.id());
                if (a != null) {
                    System.out.println(json ? new String(Json.write(a), java.nio.charset.StandardCharsets.UTF_8)
                            : q.id() + " [" + a.status() + "] " + (a.answer() != null ? a.answer() : a.error()));
                }
            }
            if (got.size() < ids.size()) {
                System.err.println("vidqa: " + (ids.size() - got.size()) + " of " + ids.size() + " questions unanswered within "
                        + timeout);
                return 6;
            }
            return 0;
        }
    }
}
