package dev.vidqa.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vidqa.qformer.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The deploy folder's files, read as data. */
final class DeployFiles {
    private DeployFiles() {}

    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    static Path deploy() {
        return RepoPaths.root().resolve("deploy");
    }

    /** Every document of a (multi-document) YAML file. */
    static List<JsonNode> yaml(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    /** The Kubernetes objects of a kind in the base. */
    static List<JsonNode> objects(String kind) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var files = Files.list(deploy().resolve("k8s/base"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode d : yaml(f)) {
                    if (kind.equals(d.path("kind").asText())) {
                        out.add(d);
                    }
                }
            }
        }
        return out;
    }

    static JsonNode one(String kind, String name) throws IOException {
        return objects(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s/base"));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
