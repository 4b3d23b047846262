package dev.vidqa.topology.cli;

import dev.vidqa.topology.client.CompactedTopic;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionOptions;
import dev.vidqa.topology.records.WatchRecord;
import dev.vidqa.topology.records.Window;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidqa watch add|list|remove}: the standing questions in the watches topic. */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Add, list or remove standing questions"
        + " (watches): evaluated on every matching stream's time, they open and close incidents.",
        subcommands = {WatchCommand.Add.class, WatchCommand.ListWatches.class, WatchCommand.Remove.class})
final class WatchCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "say add, list or remove");
    }

    static CompactedTopic<WatchRecord> topic(KafkaOptions kafka) throws java.io.IOException {
        return new CompactedTopic<>(kafka.client(), kafka.vidqaConfig().topics().watches().name(), WatchRecord.class);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a watch (or replaces the one with its id).")
    static final class Add implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--id", required = true, description = "the watch's id")
        String id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Streams streams;

        static final class Streams {
            @Option(names = "--stream-id", description = "one stream")
            String streamId;

            @Option(names = "--stream-pattern", description = "streams whose id matches, * for any characters (bay-*)")
            String pattern;
        }

        @Option(names = "--question", required = true)
        String question;

        @Option(names = "--every", description = "seconds of stream time between evaluations (default: 2)")
        Double every;

        @Option(names = "--window-seconds", description = "the latest seconds each evaluation looks at (default: 4)")
        Double windowSeconds;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Trigger trigger;

        static final class Trigger {
            @Option(names = "--fires-on", split = ",", description = "answers that fire the trigger (yes)")
            List<String> answers;

            @Option(names = "--fires-unless", split = ",", description = "answers that do not (0): anything else fires")
            List<String> answersNot;
        }

        @Option(names = "--open", description = "evaluations in a row that fire before an incident opens (default: 2)")
        Integer open;

        @Option(names = "--close", description = "evaluations in a row that do not before it closes (default: 3)")
        Integer close;

        @Option(names = "--candidates", split = ",", description = "rank these answers instead of generating")
        List<String> candidates;

        @Option(names = "--verbose", description = "stack traces on errors")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            WatchRecord w = new WatchRecord(id, streams.streamId, streams.pattern, question, every,
                    windowSeconds == null ? null : Window.latest(windowSeconds), candidates, (QuestionOptions) null,
                    new WatchRecord.Trigger(trigger.answers, trigger.answersNot), open, close);
            w.validate(); // a watch that could never run does not reach the topic
            topic(kafka).put(w.id(), w);
            System.out.println(new String(Json.write(w), StandardCharsets.UTF_8));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints every watch, one JSON line each.")
    static final class ListWatches implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--verbose", description = "stack traces on errors")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            for (WatchRecord w : topic(kafka).list(Duration.ofSeconds(30)).values()) {
                System.out.println(new String(Json.write(w), StandardCharsets.UTF_8));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a watch (an incident it has open"
            + " closes at its evaluation already waiting, or when the stream is forgotten).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--verbose", description = "stack traces on errors")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            topic(kafka).remove(id);
            System.out.println("removed watch " + id);
            return 0;
        }
    }
}
