package dev.vidqa.topology.cli;

import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.ingest.sources.SourceWorker;
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

    @Option(names = "--stream-id", description = "the stream the chunks belong to (the record key)")
    String streamId;

    @Option(names = "--sources", description = "instead of one source: join the ingest workers' group and ingest the"
            + " cameras of the sources topic assigned to this worker, until stopped (see `vidqa source`)")
    boolean sources;

    @Option(names = "--group", defaultValue = "vidqa-ingest", description = "with --sources: the workers' consumer group"
            + " (default: ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--metrics-port", defaultValue = "9465", description = "with --sources: /metrics and /health of"
            + " the worker's sources (0: none; default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--chunk-seconds", defaultValue = "2", description = "chunk length (default: ${DEFAULT-VALUE})")
    double chunkSeconds;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|DIR|URL",
            description = "a video file, a directory of them, or a live URL")
    String source;

    @Override
    public Integer call() throws Exception {
        VidqaConfig config = kafka.vidqaConfig();
        if (sources) {
            return workForTheGroup(config);
        }
        if (streamId == null || source == null) {
            throw new IllegalArgumentException("give --stream-id and FILE|DIR|URL, or --sources");
        }
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

    private int workForTheGroup(VidqaConfig config) throws Exception {
        String worker = java.net.InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        SourceWorker w = new SourceWorker(kafka.client(), new SourceWorker.Settings(config.topics().sources().name(),
                config.topics().sourceStatus().name(), config.topics().chunks().name(), group, worker, 1.0));
        Runtime.getRuntime().addShutdownHook(new Thread(w::close, "vidqa-ingest-stop"));
        var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        w.observe(new dev.vidqa.topology.app.SourceMetrics(registry)::accept);
        try (var server = metricsPort > 0 ? new dev.vidqa.topology.app.AppServer(metricsPort, registry, () -> "UP")
                : null) {
            System.err.printf("vidqa: ingest worker %s in group %s, sources from %s%s%n", worker, group,
                    config.topics().sources().name(), server == null ? "" : ", metrics on :" + server.port() + "/metrics");
            w.run();
        }
        w.release();
        return 0;
    }
}
