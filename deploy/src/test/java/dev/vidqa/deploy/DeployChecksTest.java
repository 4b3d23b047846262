package dev.vidqa.deploy;

import static dev.vidqa.deploy.DeployFiles.deploy;
import static dev.vidqa.deploy.DeployFiles.objects;
import static dev.vidqa.deploy.DeployFiles.one;
import static dev.vidqa.deploy.DeployFiles.strings;
import static dev.vidqa.deploy.DeployFiles.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.topology.app.TopicAdmin;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.cli.Vidqa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deploy files against the application, without Docker or a cluster: they parse, every key
 * and command they use exists, and ports, topics and partitions agree with what vidqa does itself.
 */
class DeployChecksTest {
    static final Path K8S_PROPERTIES = deploy().resolve("k8s/base/vidqa.properties");
    static final Path COMPOSE_PROPERTIES = deploy().resolve("config/vidqa.properties");

    @Test
    void everyManifestComposeAndDashboardFileParses() throws Exception {
        int docs = 0;
        try (var files = Files.walk(deploy())) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/target/")).toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".yaml") || n.endsWith(".yml")) {
                    List<JsonNode> d = yaml(f);
                    assertFalse(d.isEmpty(), f + " is empty");
                    docs += d.size();
                } else if (n.endsWith(".json")) {
                    DeployFiles.JSON.readTree(f.toFile());
                    docs++;
                }
            }
        }
        assertTrue(docs >= 20, docs + " documents");
    }

    @Test
    void thePropertiesUseOnlyKeysTheApplicationKnows() throws Exception {
        // VidqaConfig refuses an unknown vidqa.* key and a bad value, by name
        VidqaConfig k8s = VidqaConfig.load(K8S_PROPERTIES);
        VidqaConfig compose = VidqaConfig.load(COMPOSE_PROPERTIES);
        assertEquals("vidqa", k8s.streams().get("application.id"));
        assertEquals(compose.metricsPort(), k8s.metricsPort());
    }

    @Test
    void containersRunRealCommandsWithRealOptions() throws Exception {
        List<List<String>> commands = new ArrayList<>();
        for (JsonNode o : objects("StatefulSet")) {
            commands.add(strings(o.at("/spec/template/spec/containers/0/args")));
        }
        for (JsonNode o : objects("Deployment")) {
            commands.add(strings(o.at("/spec/template/spec/containers/0/args")));
        }
        for (JsonNode patch : yaml(deploy().resolve("k8s/overlays/gpu/gpu-patch.yaml")).get(0)) {
            if (patch.path("path").asText().endsWith("/args")) {
                commands.add(strings(patch.path("value")));
            }
        }
        JsonNode services = yaml(deploy().resolve("docker-compose.yml")).get(0).path("services");
        for (String s : List.of("vidqa", "ingest", "camera")) {
            commands.add(strings(services.path(s).path("command")));
        }
        assertEquals(6, commands.size(), "the StatefulSet, the ingest workers' Deployment, the GPU patch, compose's app,"
                + " worker and camera");
        CommandLine vidqa = new CommandLine(new Vidqa());
        for (List<String> c : commands) {
            CommandLine sub = vidqa.getSubcommands().get(c.get(0));
            assertNotNull(sub, "vidqa has no command " + c.get(0) + " (" + c + ")");
            if (!sub.getSubcommands().isEmpty() && c.size() > 1 && sub.getSubcommands().containsKey(c.get(1))) {
                sub = sub.getSubcommands().get(c.get(1)); // vidqa source add ...
            }
            for (String arg : c) {
                if (arg.startsWith("--")) {
                    assertNotNull(sub.getCommandSpec().findOption(arg), "vidqa " + c.get(0) + " has no option " + arg);
                }
            }
            // the configuration is where the pods mount it, and the file is the one given
            int i = c.indexOf("--config");
            assertEquals("/config/vidqa.properties", c.get(i + 1), c.toString());
        }
    }

    @Test
    void portsAgreeWithTheApplicationsHttpPort() throws Exception {
        int port = VidqaConfig.load(K8S_PROPERTIES).metricsPort();
        JsonNode sts = one("StatefulSet", "vidqa");
        JsonNode container = sts.at("/spec/template/spec/containers/0");
        assertEquals(port, container.at("/ports/0/containerPort").asInt());
        String portName = container.at("/ports/0/name").asText();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertEquals("/health", container.path(probe).at("/httpGet/path").asText(), probe);
            assertEquals(portName, container.path(probe).at("/httpGet/port").asText(), probe);
        }
        assertEquals(Integer.toString(port), sts.at("/spec/template/metadata/annotations").path("prometheus.io/port").asText());
        assertTrue(strings(container.path("args")).stream().anyMatch(a -> a.endsWith(".svc:" + port)),
                "application.server names the HTTP port");
        for (JsonNode svc : objects("Service")) {
            assertEquals(port, svc.at("/spec/ports/0/port").asInt(), svc.at("/metadata/name").asText());
            assertEquals(portName, svc.at("/spec/ports/0/targetPort").asText());
        }
        assertEquals(port, one("NetworkPolicy", "vidqa-http").at("/spec/ingress/0/ports/0/port").asInt());
        // compose: the published port and Prometheus' target are the application's port
        int composePort = VidqaConfig.load(COMPOSE_PROPERTIES).metricsPort();
        JsonNode compose = yaml(deploy().resolve("docker-compose.yml")).get(0);
        assertEquals(composePort + ":" + composePort, compose.at("/services/vidqa/ports/0").asText());
        JsonNode prometheus = yaml(deploy().resolve("prometheus/prometheus.yml")).get(0);
        assertEquals("vidqa:" + composePort, prometheus.at("/scrape_configs/0/static_configs/0/targets/0").asText());
    }

    @Test
    void theStatefulSetHasItsHeadlessServiceVolumesAndBudget() throws Exception {
        JsonNode sts = one("StatefulSet", "vidqa");
        JsonNode headless = one("Service", sts.at("/spec/serviceName").asText());
        assertEquals("None", headless.at("/spec/clusterIP").asText());
        String state = sts.at("/spec/volumeClaimTemplates/0/metadata/name").asText();
        JsonNode mount = null;
        for (JsonNode m : sts.at("/spec/template/spec/containers/0/volumeMounts")) {
            if (m.path("name").asText().equals(state)) {
                mount = m;
            }
        }
        assertNotNull(mount, "the state volume is mounted");
        assertEquals(VidqaConfig.load(K8S_PROPERTIES).streams().get("state.dir"), mount.path("mountPath").asText(),
                "Kafka Streams keeps its state on the pod's own volume");
        Map<String, String> labels = Map.of("app", sts.at("/spec/template/metadata/labels/app").asText());
        assertEquals(labels.get("app"), one("PodDisruptionBudget", "vidqa").at("/spec/selector/matchLabels/app").asText());
        assertEquals(labels.get("app"), headless.at("/spec/selector/app").asText());
        assertEquals("vidqa-config", sts.at("/spec/template/spec/volumes/0/configMap/name").asText());
    }

    @Test
    void strimziTopicsAreWhatTheApplicationWouldCreate() throws Exception {
        VidqaConfig c = VidqaConfig.load(K8S_PROPERTIES);
        Map<String, Map<String, String>> expected = TopicAdmin.topicConfigs(c.topics());
        Set<String> declared = new HashSet<>();
        for (JsonNode t : objects("KafkaTopic")) {
            String name = t.at("/spec/topicName").asText();
            declared.add(name);
            assertTrue(expected.containsKey(name), "KafkaTopic " + name + " is not one of the application's topics");
            assertEquals(c.topicCreation().partitions(), t.at("/spec/partitions").asInt(), name);
            assertEquals(c.topicCreation().replication(), t.at("/spec/replicas").asInt(), name);
            JsonNode config = t.at("/spec/config");
            Map<String, String> declaredConfig = new java.util.TreeMap<>();
            config.fields().forEachRemaining(e -> declaredConfig.put(e.getKey(), e.getValue().asText()));
            assertEquals(new java.util.TreeMap<>(expected.get(name)), declaredConfig, name + ": the settings vidqa creates it with");
            assertEquals("vidqa", t.at("/metadata/labels").path("strimzi.io/cluster").asText());
        }
        assertEquals(expected.keySet(), declared, "a KafkaTopic for every topic of the application");
        assertFalse(c.topicCreation().enabled(), "the topic operator creates them, not vidqa");
        String bootstrap = c.bootstrapServers();
        assertTrue(bootstrap.startsWith("vidqa-kafka-bootstrap"), "Strimzi's bootstrap service of cluster vidqa");
    }

    @Test
    void kedaScalesOnTheInputTopicsLagWithinThePartitions() throws Exception {
        VidqaConfig c = VidqaConfig.load(K8S_PROPERTIES);
        JsonNode so = one("ScaledObject", "vidqa");
        JsonNode target = so.at("/spec/scaleTargetRef");
        assertEquals("StatefulSet", target.path("kind").asText());
        one("StatefulSet", target.path("name").asText());
        Set<String> topics = new HashSet<>();
        for (JsonNode t : so.at("/spec/triggers")) {
            assertEquals("kafka", t.path("type").asText());
            assertEquals(c.streams().get("application.id"), t.at("/metadata/consumerGroup").asText());
            assertEquals(c.bootstrapServers(), t.at("/metadata/bootstrapServers").asText());
            topics.add(t.at("/metadata/topic").asText());
        }
        assertEquals(Set.of(c.topics().chunks().name(), c.topics().questions().name()), topics);
        int max = so.at("/spec/maxReplicaCount").asInt();
        assertTrue(max <= c.topicCreation().partitions(), "pods beyond the partition count would stand idle");
        assertTrue(so.at("/spec/minReplicaCount").asInt() >= 1);
    }

    @Test
    void composeKafkaTakesTheLargestChunkRecord() throws Exception {
        JsonNode env = yaml(deploy().resolve("docker-compose.yml")).get(0).at("/services/kafka/environment");
        assertTrue(env.path("KAFKA_MESSAGE_MAX_BYTES").asLong() >= TopicAdmin.MAX_MESSAGE_BYTES);
        assertTrue(env.path("KAFKA_REPLICA_FETCH_MAX_BYTES").asLong() >= TopicAdmin.MAX_MESSAGE_BYTES);
        assertTrue(env.path("KAFKA_PROCESS_ROLES").asText().contains("controller"), "KRaft, no ZooKeeper");
    }

    @Test
    void theImageBuildNamesRealModulesAndPaths() throws Exception {
        Path root = RepoPaths.root();
        String dockerfile = Files.readString(deploy().resolve("Dockerfile"), StandardCharsets.UTF_8);
        String rootPom = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher pl = Pattern.compile("-pl (\\S+)").matcher(dockerfile);
        int modules = 0;
        while (pl.find()) {
            for (String m : pl.group(1).split(",")) {
                assertTrue(rootPom.contains("<module>" + m + "</module>"), "no Maven module " + m);
                modules++;
            }
        }
        assertTrue(modules >= 1);
        Matcher copy = Pattern.compile("COPY --from=build /src/(\\S+) (\\S+)").matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            String path = copy.group(1);
            if (path.startsWith("topology/target/")) {
                String built = path.substring("topology/target/".length());
                String topologyPom = Files.readString(root.resolve("topology/pom.xml"), StandardCharsets.UTF_8);
                assertTrue(built.equals("lib") || topologyPom.contains("<finalName>" + built.replace(".jar", "")
                        + "</finalName>"), "topology does not build " + built);
            } else {
                assertTrue(Files.exists(root.resolve(path)), "the image copies " + path + ", which does not exist");
            }
            copies++;
        }
        assertTrue(copies >= 5, copies + " copies");
        // the compose camera is clips the image has
        List<String> camera = strings(yaml(deploy().resolve("docker-compose.yml")).get(0).at("/services/camera/command"));
        String clips = camera.get(camera.indexOf("--url") + 1);
        assertTrue(clips.startsWith("/opt/vidqa/"), clips);
        assertTrue(dockerfile.contains("/opt/vidqa/topology/models/vidqa-world-t5"), "the world model is baked in");
        assertTrue(Files.isDirectory(root.resolve(clips.substring("/opt/vidqa/".length()))), clips);
        assertTrue(dockerfile.contains("USER 10001"), "non-root");
        assertTrue(dockerfile.contains("AS cuda") && dockerfile.contains("PYTORCH_LIBRARY_PATH"), "a CUDA variant");
    }

    @Test
    void kustomizationsNameFilesThatExist() throws Exception {
        for (String k : List.of("k8s/base", "k8s/overlays/cpu", "k8s/overlays/gpu")) {
            Path dir = deploy().resolve(k);
            JsonNode kz = yaml(dir.resolve("kustomization.yaml")).get(0);
            List<String> files = new ArrayList<>(strings(kz.path("resources")));
            kz.path("patches").forEach(p -> files.add(p.path("path").asText()));
            kz.path("configMapGenerator").forEach(g -> files.addAll(strings(g.path("files"))));
            assertFalse(files.isEmpty(), k);
            for (String f : files) {
                assertTrue(Files.exists(dir.resolve(f)), k + " names " + f + ", which does not exist");
            }
        }
    }

    @Test
    void theDashboardShowsTheMetersTheReadmeLists() throws Exception {
        String readme = Files.readString(RepoPaths.root().resolve("README.md"), StandardCharsets.UTF_8);
        int from = readme.indexOf("### Metrics and health");
        Set<String> listed = meters(readme.substring(from, readme.indexOf("\n### ", from + 1)));
        String dashboard = Files.readString(deploy().resolve("grafana/dashboards/vidqa.json"), StandardCharsets.UTF_8);
        Set<String> shown = meters(dashboard);
        assertTrue(listed.size() >= 12, listed.toString());
        assertEquals(listed, shown, "the dashboard shows every meter the README lists, and only those");
    }

    /** vidqa_* meter names without Prometheus' suffixes. */
    private static Set<String> meters(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile("vidqa_[a-z_]+").matcher(text);
        while (m.find()) {
            out.add(m.group().replaceAll("_(total|sum|count|bucket|max)$", ""));
        }
        return out;
    }
}
