package dev.vidqa.topology.cli;

import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.topology.app.VidqaConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vidqa ingest}: cut a file, a directory of files or a live feed into chunks and produce them. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Split FILE, DIR or URL into keyframe-aligned chunks and produce them to the chunks topic.")
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--stream-id", required = true, description = "the stream the chunks belong to (the record key)")
    String streamId;

    @Option(names = "--chunk-seconds", defaultValue = "2", description = "chunk length (default: ${DEFAULT-VALUE})")
    double chunkSeconds;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Parameters(index = "0", paramLabel = "FILE|DIR|URL", description = "a video file, a directory of them, or a live URL")
    String source;

    @Override
    public Integer call() throws Exception {
        VidqaConfig config = kafka.vidqaConfig();
        try (ChunkPublisher publisher = new ChunkPublisher(kafka.client(), config.topics().chunks().name())) {
            long[] bytes = {0};
            Ingestor ingestor = new Ingestor(new Chunker(chunkSeconds), c -> {
                publisher.publish(c);
                bytes[0] += c.data().length;
                System.err.printf("vidqa: chunk %d of %s (%s): %.2f-%.2f s, %d bytes%n", c.sequence(), streamId, c.clip(),
                        c.start(), c.end(), c.data().length);
            });
            Runtime.getRuntime().addShutdownHook(new Thread(ingestor::stop, "vidqa-ingest-stop"));
            Ingestor.Summary s = ingestor.ingest(streamId, source);
            System.out.printf("ingested %d clip(s), %d chunks, %.1f s of video, %.1f MB into %s%n", s.clips(), s.chunks(),
                    s.streamSeconds(), bytes[0] / 1e6, config.topics().chunks().name());
        }
        return 0;
    }
}
