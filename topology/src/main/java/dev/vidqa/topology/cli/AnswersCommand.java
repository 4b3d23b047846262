package dev.vidqa.topology.cli;

import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.records.AnswerRecord;
import dev.vidqa.topology.records.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vidqa answers}: print answers as they are committed, like a console consumer (read_committed). */
@Command(name = "answers", mixinStandardHelpOptions = true,
        description = "Print committed answers as they arrive (read_committed), until --count or --timeout.")
final class AnswersCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--from-beginning", description = "start with the oldest answer on the topic")
    boolean fromBeginning;

    @Option(names = "--count", description = "stop after this many answers")
    Integer count;

    @Option(names = "--timeout", description = "stop when no answer arrived for this long, e.g. 90s (default: never)")
    String timeout;

    @Option(names = "--json", description = "one answer record (JSON) per line")
    boolean json;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        VidqaConfig config = kafka.vidqaConfig();
        Duration idle = timeout == null ? null : AnswerCommand.parseDuration(timeout);
        AtomicInteger n = new AtomicInteger();
        try (AnswerWatcher watcher = new AnswerWatcher(kafka.client(), config.topics().answers().name(), fromBeginning)) {
            long lastAnswer = System.nanoTime();
            while (count == null || n.get() < count) {
                int before = n.get();
                watcher.poll(Duration.ofMillis(200), a -> {
                    if (count != null && n.get() >= count) {
                        return;
                    }
                    n.incrementAndGet();
                    print(a);
                });
                if (n.get() > before) {
                    lastAnswer = System.nanoTime();
                } else if (idle != null && System.nanoTime() - lastAnswer > idle.toNanos()) {
                    break;
                }
            }
        }
        return count == null || n.get() >= count ? 0 : 6;
    }

    private void print(AnswerRecord a) {
        if (json) {
            System.out.println(new String(Json.write(a), StandardCharsets.UTF_8));
        } else {
            System.out.printf("%s %s [%s] %s%s%n", a.streamId(), a.questionId(), a.status(),
                    a.answer() != null ? a.answer() : "", a.error() != null ? a.error() : "");
        }
        System.out.flush();
    }
}
