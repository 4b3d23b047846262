package dev.vidqa.ingest;

import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings a plain producer or consumer understands, out of a configuration that holds more
 * (Kafka Streams keys, other clients' keys): Kafka warns about every key it does not know.
 */
public final class ClientSettings {
    private ClientSettings() {}

    public static Properties producerOnly(Properties p) {
        return only(p, ProducerConfig.configNames());
    }

    public static Properties consumerOnly(Properties p) {
        return only(p, ConsumerConfig.configNames());
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
