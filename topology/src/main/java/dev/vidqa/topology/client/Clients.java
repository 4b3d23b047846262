package dev.vidqa.topology.client;

import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Client settings from the application's properties, filtered to what each client knows. */
public final class Clients {
    private Clients() {}

    public static Properties bootstrap(String servers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        return p;
    }

    static Properties consumerOnly(Properties p) {
        return only(p, ConsumerConfig.configNames());
    }

    public static Properties producerOnly(Properties p) {
        return only(p, ProducerConfig.configNames());
    }

    private static Properties only(Properties p, Set<String> names) {
        Properties out = new Properties();
        for (String k : p.stringPropertyNames()) {
            if (names.contains(k)) {
                out.put(k, p.getProperty(k));
            }
        }
        return out;
    }
}
