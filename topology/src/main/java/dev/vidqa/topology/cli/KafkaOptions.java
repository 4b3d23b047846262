package dev.vidqa.topology.cli;

import dev.vidqa.topology.app.VidqaConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Where the cluster is and what the topics are called: a config file, overridden by flags. */
public final class KafkaOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "application properties (see deploy/config-reference.md)")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka cluster (default: 127.0.0.1:9092)")
    String bootstrapServers;

    Properties properties() throws IOException {
        Properties p = new Properties();
        if (config != null) {
            try (var in = java.nio.file.Files.newInputStream(config)) {
                p.load(in);
            }
        }
        if (bootstrapServers != null) {
            p.put("bootstrap.servers", bootstrapServers);
        }
        return p;
    }

    VidqaConfig vidqaConfig() throws IOException {
        return VidqaConfig.from(properties());
    }

    /** Settings for plain clients: bootstrap servers and any security settings of the file. */
    Properties client() throws IOException {
        Properties p = vidqaConfig().streamsProperties();
        p.keySet().removeIf(k -> k.toString().startsWith("vidqa."));
        return p;
    }
}
