package dev.vidqa.deploy;

import static dev.vidqa.deploy.DeployFiles.deploy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The overlays rendered by kustomize and checked by kubeconform, where those tools are installed
 * (kubectl carries kustomize); skipped with a message otherwise: the structural checks of
 * {@link DeployChecksTest} run everywhere.
 */
class KustomizeRenderTest {

    @Test
    void bothOverlaysRenderAndTheGpuOneAsksForAGpu() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl (with its kustomize) is not installed here: overlays not rendered");
        List<JsonNode> cpu = render("cpu");
        List<JsonNode> gpu = render("gpu");
        assertEquals(cpu.size(), gpu.size());
        JsonNode cpuSts = find(cpu, "StatefulSet");
        JsonNode gpuSts = find(gpu, "StatefulSet");
        assertEquals("vidqa:0.1.0", cpuSts.at("/spec/template/spec/containers/0/image").asText());
        assertEquals("vidqa:0.1.0-cuda", gpuSts.at("/spec/template/spec/containers/0/image").asText());
        assertEquals(1, gpuSts.at("/spec/template/spec/containers/0/resources/limits").path("nvidia.com/gpu").asInt());
        assertTrue(cpuSts.at("/spec/template/spec/containers/0/resources/limits").path("nvidia.com/gpu").isMissingNode());
        assertTrue(gpuSts.at("/spec/template/spec/containers/0/args").toString().contains("\"--device\",\"gpu\""));
        // the generated ConfigMap's hashed name is what the pods mount
        String configMap = find(gpu, "ConfigMap").at("/metadata/name").asText();
        assertTrue(configMap.startsWith("vidqa-config-"), configMap);
        assertEquals(configMap, gpuSts.at("/spec/template/spec/volumes/0/configMap/name").asText());
        for (JsonNode o : gpu) {
            assertEquals("vidqa", o.at("/metadata/namespace").asText(), o.at("/metadata/name").asText());
        }
    }

    @Test
    void kubeconformAcceptsTheRenderedManifests() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl") && onPath("kubeconform"),
                "kubeconform is not installable from this machine's package registries: schema validation skipped");
        for (String overlay : List.of("cpu", "gpu")) {
            Path rendered = Files.createTempFile("vidqa-" + overlay, ".yaml");
            Files.writeString(rendered, run("kubectl", "kustomize", deploy().resolve("k8s/overlays/" + overlay).toString()));
            // Strimzi and KEDA resources are custom: their schemas are not bundled
            run("kubeconform", "-strict", "-ignore-missing-schemas", "-summary", rendered.toString());
        }
    }

    private static List<JsonNode> render(String overlay) throws Exception {
        String yaml = run("kubectl", "kustomize", deploy().resolve("k8s/overlays/" + overlay).toString());
        List<JsonNode> out = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            DeployFiles.YAML.readValues(parser, JsonNode.class).forEachRemaining(out::add);
        }
        return out;
    }

    private static JsonNode find(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).findFirst().orElseThrow();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
