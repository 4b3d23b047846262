package dev.vidqa.topology.app;

import dev.vidqa.ingest.ChunkPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the application's topics when missing and checks that chunks and questions are co-partitioned. */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {}

    /** {@code max.message.bytes} of the chunks and dead-letter topics: the largest chunk and room for headers. */
    public static final int MAX_MESSAGE_BYTES = ChunkPublisher.MAX_CHUNK_BYTES + (2 << 20);

    /**
     * The topic-level configuration of each topic the application creates (by name, in creation
     * order): chunks and their dead letters carry whole video segments; retention by what each holds;
     * the watches, sources and source states (tables, latest per key) are compacted.
     * Declarative set-ups (Strimzi {@code KafkaTopic}s in deploy/) must say the same; a test checks it.
     */
    public static Map<String, Map<String, String>> topicConfigs(Topics topics) {
        String big = Integer.toString(MAX_MESSAGE_BYTES);
        Map<String, Map<String, String>> m = new java.util.LinkedHashMap<>();
        // chunks matter while questions about them may still come (the frame store keeps what is needed)
        m.put(topics.chunks().name(), Map.of("max.message.bytes", big, "retention.ms", Long.toString(DAY_MS)));
        m.put(topics.questions().name(), Map.of("retention.ms", Long.toString(7 * DAY_MS)));
        m.put(topics.answers().name(), Map.of("retention.ms", Long.toString(7 * DAY_MS)));
        // dead letters wait for someone to look at them
        m.put(topics.deadLetters().name(), Map.of("max.message.bytes", big, "retention.ms", Long.toString(14 * DAY_MS)));
        // the watches are state: the latest of each id is kept for ever
        m.put(topics.watches().name(), Map.of("cleanup.policy", "compact"));
        m.put(topics.incidents().name(), Map.of("retention.ms", Long.toString(30 * DAY_MS)));
        m.put(topics.sources().name(), Map.of("cleanup.policy", "compact"));
        m.put(topics.sourceStatus().name(), Map.of("cleanup.policy", "compact"));
        return m;
    }

    private static final long DAY_MS = 86_400_000L;

    public static void ensure(Properties clientProps, Topics topics, int partitions, short replication)
            throws InterruptedException, ExecutionException {
        Properties p = new Properties();
        p.putAll(clientProps);
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(adminOnly(p))) {
            int brokers = admin.describeCluster().nodes().get().size();
            if (brokers > 0 && replication > brokers) {
                // a one-broker development cluster (vidqa broker) cannot hold 3 replicas: follow its size
                LOG.warn("vidqa.topics.replication {} exceeds the cluster's {} broker(s); creating topics with {}",
                        replication, brokers, brokers);
                replication = (short) brokers;
            }
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> create = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> t : topicConfigs(topics).entrySet()) {
                add(create, existing, t.getKey(), partitions, replication, t.getValue());
            }
            if (!create.isEmpty()) {
                admin.createTopics(create).all().get();
                LOG.info("created topics {}", create.stream().map(NewTopic::name).toList());
            }
            Map<String, TopicDescription> d = describe(admin, List.of(topics.chunks().name(), topics.questions().name()));
            int c = d.get(topics.chunks().name()).partitions().size();
            int q = d.get(topics.questions().name()).partitions().size();
            if (c != q) {
                throw new IllegalStateException("topics " + topics.chunks().name() + " (" + c + " partitions) and "
                        + topics.questions().name() + " (" + q + ") must have the same number of partitions: both are"
                        + " keyed by stream id and joined per partition");
            }
        }
    }

    /**
     * Describes topics, waiting for them to appear: a broker learns of a topic created a moment ago
     * asynchronously and answers UNKNOWN_TOPIC_OR_PARTITION until then.
     */
    static Map<String, TopicDescription> describe(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void add(List<NewTopic> out, Set<String> existing, String name, int partitions, short replication,
                            Map<String, String> configs) {
        if (!existing.contains(name)) {
            out.add(new NewTopic(name, partitions, replication).configs(configs));
        }
    }

    /** Keeps the keys an admin client understands (the rest would only produce warnings). */
    static Properties adminOnly(Properties p) {
        Properties out = new Properties();
        Set<String> known = AdminClientConfig.configNames();
        for (String k : p.stringPropertyNames()) {
            if (known.contains(k)) {
                out.put(k, p.getProperty(k));
            }
        }
        return out;
    }
}
