package org.retentionpulse.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The resources in {@code deploy/k8s}, every document of every YAML file. */
final class KubernetesManifests {
    static final String DIRECTORY = "deploy/k8s";

    /** One resource and the file it is in. */
    record Resource(Path file, JsonNode json) {
        String kind() {
            return json.path("kind").asText();
        }

        String name() {
            return json.path("metadata").path("name").asText();
        }

        String namespace() {
            return json.path("metadata").path("namespace").asText();
        }
    }

    private final List<Resource> resources;

    KubernetesManifests() {
        try (Stream<Path> files = Files.list(Checkout.file(DIRECTORY))) {
            resources = files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                    .flatMap(f -> Checkout.yamlDocuments(f).stream().map(d -> new Resource(f, d))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Resource> all() {
        return resources;
    }

    List<Resource> ofKind(String kind) {
        return resources.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    Resource one(String kind) {
        List<Resource> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " in " + DIRECTORY + ", found " + found.size());
        }
        return found.get(0);
    }
}
