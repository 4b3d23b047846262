package dev.vidqa.topology.cli;

import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.topology.app.AppServer;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.live.LivePage;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vidqa run}: the long-running application against a cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the streaming application until stopped (SIGTERM/Ctrl-C shut it down cleanly).")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--model", paramLabel = "DIR", description = "overrides vidqa.model.dir")
    Path model;

    @Option(names = "--device", description = "overrides vidqa.device (cpu, gpu, auto)")
    String device;

    @Option(names = "--threads", description = "overrides num.stream.threads")
    Integer threads;

    @Option(names = "--application-server", paramLabel = "HOST:PORT", description = "overrides application.server:"
            + " where other instances reach this one's state (a StatefulSet pod passes its stable DNS name)")
    String applicationServer;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        var props = kafka.properties();
        if (model != null) {
            props.put("vidqa.model.dir", model.toString());
        } else if (props.getProperty("vidqa.model.dir") == null) {
            props.put("vidqa.model.dir", Defaults.model().toString()); // the model's own answer settings apply
        }
        if (device != null) {
            props.put("vidqa.device", device);
        }
        if (threads != null) {
            props.put("num.stream.threads", threads.toString());
        }
        if (applicationServer != null) {
            props.put("application.server", applicationServer);
        }
        VidqaConfig config = VidqaConfig.from(props);
        Path dir = config.model().dir();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CountDownLatch stopped = new CountDownLatch(1);
        config.applyTorchThreads();
        try (ModelQaEngine engine = VidqaApp.engine(config, InstructBlipVideo.load(dir, config.model().device()));
             VidqaApp app = VidqaApp.start(config, engine, registry);
             AppServer server = config.metricsPort() > 0 ? new AppServer(config.metricsPort(), registry, app::health,
                     config.live().maxClients() + 4) : null;
             LivePage live = server != null && config.live().enabled() ? LivePage.serve(config, app, server) : null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stopped.countDown();
            }, "vidqa-shutdown"));
            System.err.printf("vidqa: running (model %s, application.id %s, Kafka %s%s)%n", dir,
                    config.streams().get("application.id"), config.bootstrapServers(),
                    server == null ? "" : ", metrics on :" + server.port() + "/metrics"
                            + (live == null ? "" : ", live page on http://localhost:" + server.port() + "/"));
            stopped.await();
        }
        return 0;
    }
}
