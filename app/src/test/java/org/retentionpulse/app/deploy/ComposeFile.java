package org.retentionpulse.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The repository's {@code docker-compose.yml}: services, their environment, mounts and ports. */
final class ComposeFile {
    static final String PATH = "docker-compose.yml";

    /** A volume entry {@code source:target[:mode]}; a bind mount when the source is a path. */
    record Mount(String source, String target, boolean readOnly) {
        boolean isBind() {
            return source.startsWith(".") || source.startsWith("/");
        }
    }

    /** A published port {@code host:container}. */
    record Port(int host, int container) {
    }

    private final JsonNode root = Checkout.yaml(Checkout.file(PATH));

    JsonNode services() {
        return root.path("services");
    }

    JsonNode service(String name) {
        JsonNode s = services().path(name);
        if (s.isMissingNode()) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return s;
    }

    /** The environment of a service, in either map or list form. */
    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service(service).path("environment");
        if (e.isObject()) {
            e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        } else {
            for (JsonNode item : e) {
                String[] kv = item.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return env;
    }

    List<Mount> mounts(String service) {
        List<Mount> out = new ArrayList<>();
        for (JsonNode v : service(service).path("volumes")) {
            String[] parts = v.asText().split(":");
            out.add(new Mount(parts[0], parts[1], parts.length > 2 && parts[2].equals("ro")));
        }
        return out;
    }

    Optional<Mount> mountAt(String service, String target) {
        return mounts(service).stream().filter(m -> m.target().equals(target)).findFirst();
    }

    List<Port> ports(String service) {
        List<Port> out = new ArrayList<>();
        for (JsonNode p : service(service).path("ports")) {
            String[] parts = p.asText().split(":");
            out.add(new Port(Integer.parseInt(parts[parts.length - 2]), Integer.parseInt(parts[parts.length - 1])));
        }
        return out;
    }

    List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    JsonNode volumes() {
        return root.path("volumes");
    }
}
