package dev.vidqa.topology.client;

import dev.vidqa.ingest.ClientSettings;
import java.util.Properties;

/** Client settings from the application's properties, filtered to what each client knows. */
public final class Clients {
    private Clients() {}

    public static Properties bootstrap(String servers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        return p;
    }

    static Properties consumerOnly(Properties p) {
        return ClientSettings.consumerOnly(p);
    }

    public static Properties producerOnly(Properties p) {
        return ClientSettings.producerOnly(p);
    }
}
