package dev.vidqa.topology.cli;

import dev.vidqa.topology.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vidqa broker}: the embedded single-node KRaft broker on its own, for development without Docker. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a single-node Kafka broker (KRaft, in this JVM) until stopped; prints its bootstrap address.")
final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9092", description = "listener port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--dir", paramLabel = "DIR", description = "data directory, kept across restarts (default: a"
            + " temporary one, deleted on exit)")
    Path dir;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafka kafka = EmbeddedKafka.start(port, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "vidqa-broker-shutdown"));
        System.out.println(kafka.bootstrapServers());
        System.out.flush();
        System.err.println("vidqa: broker running at " + kafka.bootstrapServers()
                + (dir != null ? " with its data in " + dir : "") + "; Ctrl-C stops it");
        stopped.await();
        return 0;
    }
}
