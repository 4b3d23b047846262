package dev.vidqa.topology.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft, broker and controller in one process) started from the
 * Kafka Maven artifacts, on loopback ports of its own. For the demo and for integration tests
 * where no Docker engine runs.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dir;
    private final KafkaRaftServer server;
    private final String bootstrap;
    private final boolean deleteOnClose;
    private boolean closed;

    private EmbeddedKafka(Path dir, KafkaRaftServer server, String bootstrap, boolean deleteOnClose) {
        this.dir = dir;
        this.server = server;
        this.bootstrap = bootstrap;
        this.deleteOnClose = deleteOnClose;
    }

    /** Formats a fresh log directory and starts the broker; returns once it answers. */
    public static EmbeddedKafka start() throws IOException {
        return start(0, null);
    }

    /**
     * Starts the broker on {@code port} (0: any free port) with its data in {@code dataDir} (kept
     * across restarts; null: a temporary directory deleted on close).
     */
    public static EmbeddedKafka start(int port, Path dataDir) throws IOException {
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("vidqa-kafka");
        int brokerPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("logs").toString());
        // a single node: every internal topic with one replica, or consumers and transactions hang
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("message.max.bytes", Integer.toString(32 << 20));
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        Path config = dir.resolve("server.properties");
        try (OutputStream o = Files.newOutputStream(config)) {
            p.store(o, "vidqa embedded Kafka");
        }
        if (!Files.exists(dir.resolve("logs").resolve("meta.properties"))) { // a kept data directory is formatted once
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                    "--ignore-formatted"}, new PrintStream(log, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IOException("formatting the embedded Kafka storage failed: " + log.toString(StandardCharsets.UTF_8));
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(dir, server, "127.0.0.1:" + brokerPort, dataDir == null);
        kafka.awaitReady(Duration.ofSeconds(60));
        LOG.info("embedded Kafka at {} ({})", kafka.bootstrap, dir);
        return kafka;
    }

    private void awaitReady(Duration timeout) throws IOException {
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(a)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(2, java.util.concurrent.TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("embedded Kafka did not come up at " + bootstrap, e);
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for Kafka", e);
                }
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (!deleteOnClose) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}", dir, e);
        }
    }
}
