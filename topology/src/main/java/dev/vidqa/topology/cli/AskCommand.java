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
@Command(name = "ask", mixinStandardHelpOptions = true, description = "Ask a question about a stream and wait for the answer.")
public final class AskCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--stream-id", required = true, description = "the stream to ask about")
    String streamId;

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

    @Parameters(index = "0", paramLabel = "QUESTION")
    String question;

    @Override
    public Integer call() throws Exception {
        VidqaConfig config = kafka.vidqaConfig();
        Window w = clip != null ? Window.clip(clip)
                : from != null || to != null ? Window.range(from == null ? 0 : from, to == null ? Double.MAX_VALUE : to)
                : Window.latest(AnswerCommand.parseDuration(window).toMillis() / 1000.0);
        List<String> cands = ModelOptions.candidates(candidates);
        QuestionRecord q = new QuestionRecord(id != null ? id : UUID.randomUUID().toString(), streamId, question, w,
                cands.isEmpty() ? null : cands, null);
        q.validate();
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
}
