package dev.vidqa.it;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A test class against a broker of its own ({@link Broker}), started before its tests and closed after them. */
abstract class BrokerTest {
    static Broker broker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    static Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        return p;
    }

    static int freePort() throws Exception {
        return freePorts(1)[0];
    }

    /** {@code n} ports free now, all different (held open together while they are chosen). */
    static int[] freePorts(int n) throws Exception {
        ServerSocket[] held = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0);
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /** An application's properties: its id, its state under {@code tmp}, and every topic named after the id. */
    Properties application(String id, String stateDir) {
        Properties p = client();
        p.put("application.id", id);
        p.put("state.dir", tmp.resolve(stateDir).toString());
        for (String t : List.of("chunks", "questions", "answers", "dead-letters", "watches", "incidents")) {
            p.put("vidqa.topic." + t, id + "." + t);
        }
        p.put("vidqa.device", "cpu");
        return p;
    }
}
