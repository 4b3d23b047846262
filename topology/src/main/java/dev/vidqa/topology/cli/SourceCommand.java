package dev.vidqa.topology.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidqa.ingest.sources.SourceRecord;
import dev.vidqa.topology.client.CompactedTopic;
import dev.vidqa.topology.records.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidqa source add|list|remove}: the cameras the ingest workers ({@code vidqa ingest --sources}) share. */
@Command(name = "source", mixinStandardHelpOptions = true, description = "Add, list or remove camera sources: the"
        + " workers of `vidqa ingest --sources` share them and publish each one's state.",
        subcommands = {SourceCommand.Add.class, SourceCommand.ListSources.class, SourceCommand.Remove.class})
final class SourceCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "say add, list or remove");
    }

    static CompactedTopic<SourceRecord> sources(KafkaOptions kafka) throws java.io.IOException {
        return new CompactedTopic<>(kafka.client(), kafka.vidqaConfig().topics().sources().name(), SourceRecord.class);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a source (or replaces the one of its stream).")
    static final class Add implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--stream-id", required = true, description = "the stream its chunks go to")
        String streamId;

        @Option(names = "--url", required = true, description = "rtsp://, udp://, http(s)://, or a file")
        String url;

        @Option(names = "--chunk-seconds", description = "chunk length (default: 2)")
        Double chunkSeconds;

        @Option(names = "--disabled", description = "listed but not ingested")
        boolean disabled;

        @Option(names = "--verbose", description = "stack traces on errors")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            SourceRecord s = new SourceRecord(streamId, url, chunkSeconds, disabled ? Boolean.FALSE : null);
            s.validate();
            sources(kafka).put(streamId, s);
            System.out.println(new String(Json.write(s), StandardCharsets.UTF_8));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints every source with its latest state,"
            + " one JSON line each.")
    static final class ListSources implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--verbose", description = "stack traces on errors")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            Map<String, JsonNode> status = new CompactedTopic<>(kafka.client(),
                    kafka.vidqaConfig().topics().sourceStatus().name(), JsonNode.class).list(Duration.ofSeconds(30));
            for (SourceRecord s : sources(kafka).list(Duration.ofSeconds(30)).values()) {
                var line = Json.MAPPER.valueToTree(s);
                ((com.fasterxml.jackson.databind.node.ObjectNode) line).set("status", status.get(s.streamId()));
                System.out.println(Json.MAPPER.writeValueAsString(line));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a source: its worker stops it.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Parameters(index = "0", paramLabel = "STREAM_ID")
        String streamId;

        @Option(names = "--verbose", description = "stack traces on errors")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            sources(kafka).remove(streamId);
            System.out.println("removed source " + streamId);
            return 0;
        }
    }
}
