package dev.vidqa.it;

import dev.vidqa.topology.kafka.EmbeddedKafka;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Kafka cluster the integration tests run against, chosen by {@code -Dvidqa.it.kafka}:
 * {@code testcontainers} (a broker in Docker), {@code embedded} (a KRaft broker in this JVM from
 * the Kafka Maven artifacts), or {@code auto} (the default: Testcontainers when a Docker engine
 * answers, else embedded).
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    public static final String IMAGE = "apache/kafka:4.1.0";

    private final AutoCloseable handle;
    private final String bootstrap;
    private final String kind;

    private Broker(AutoCloseable handle, String bootstrap, String kind) {
        this.handle = handle;
        this.bootstrap = bootstrap;
        this.kind = kind;
    }

    public static Broker start() throws Exception {
        String mode = System.getProperty("vidqa.it.kafka", "auto").trim().toLowerCase(Locale.ROOT);
        boolean docker = switch (mode) {
            case "testcontainers" -> true;
            case "embedded" -> false;
            case "auto", "", "${vidqa.it.kafka}" -> dockerAvailable();
            default -> throw new IllegalArgumentException("vidqa.it.kafka must be auto, testcontainers or embedded, got "
                    + mode);
        };
        if (docker) {
            KafkaContainer k = new KafkaContainer(DockerImageName.parse(IMAGE))
                    .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(40 << 20));
            k.start();
            LOG.info("integration tests on Testcontainers Kafka {}", k.getBootstrapServers());
            return new Broker(k::stop, k.getBootstrapServers(), "testcontainers");
        }
        EmbeddedKafka k = EmbeddedKafka.start();
        LOG.info("integration tests on an in-process KRaft broker {}", k.bootstrapServers());
        return new Broker(k, k.bootstrapServers(), "embedded");
    }

    static boolean dockerAvailable() {
        // ask Testcontainers only when some engine could be there: its probe logs errors otherwise
        boolean hint = System.getenv("DOCKER_HOST") != null || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public String kind() {
        return kind;
    }

    @Override
    public void close() throws Exception {
        handle.close();
    }
}
