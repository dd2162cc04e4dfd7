package org.retentionpulse.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.retentionpulse.app.RetentionPulse;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.deploy.KubernetesManifests.Resource;
import org.retentionpulse.app.http.HealthRoutes;
import org.retentionpulse.app.http.MetricsEndpoint;
import picocli.CommandLine.ParseResult;

/** deploy/k8s: a scaled-out StatefulSet whose services, probes, volumes, config and secrets fit together. */
class KubernetesManifestsTest {
    private static final String APP_CONTAINER = "retention-pulse";

    private final KubernetesManifests k8s = new KubernetesManifests();
    private final JsonNode statefulSet = k8s.one("StatefulSet").json();
    private final JsonNode podSpec = statefulSet.path("spec").path("template").path("spec");
    private final JsonNode container = container();

    private JsonNode container() {
        for (JsonNode c : statefulSet.path("spec").path("template").path("spec").path("containers")) {
            if (c.path("name").asText().equals(APP_CONTAINER)) {
                return c;
            }
        }
        throw new AssertionError("no container " + APP_CONTAINER);
    }

    private Map<String, String> podLabels() {
        Map<String, String> labels = new HashMap<>();
        statefulSet.path("spec").path("template").path("metadata").path("labels").fields()
                .forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        return labels;
    }

    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        boolean[] all = {selector.size() > 0};
        selector.fields().forEachRemaining(f -> all[0] &= f.getValue().asText().equals(labels.get(f.getKey())));
        return all[0];
    }

    private Map<String, JsonNode> env() {
        Map<String, JsonNode> env = new java.util.LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    private int containerPort(String nameOrNumber) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(nameOrNumber) || p.path("containerPort").asText().equals(nameOrNumber)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("container has no port " + nameOrNumber);
    }

    private Properties configFile() throws IOException {
        JsonNode data = k8s.one("ConfigMap").json().path("data");
        assertEquals(1, data.size(), "one properties file");
        Properties props = new Properties();
        props.load(new StringReader(data.elements().next().asText()));
        return props;
    }

    /** The HTTP port the pods listen on: the config file's, else the built-in default. */
    private int httpPort() throws IOException {
        return Integer.parseInt(configFile().getProperty(AppDefaults.HTTP_PORT, SettingKeys.defaultOf(AppDefaults.HTTP_PORT)));
    }

    @Test
    void everyResourceIsNamedAndInTheSameNamespaceAndKustomizationListsTheFiles() {
        Set<String> namespaces = new TreeSet<>();
        for (Resource r : k8s.all()) {
            if (r.kind().equals("Kustomization")) {
                continue;
            }
            assertFalse(r.json().path("apiVersion").asText().isBlank(), r.file() + ": apiVersion");
            assertFalse(r.name().isBlank(), r.file() + ": metadata.name");
            if (!r.kind().equals("Namespace")) {
                namespaces.add(r.namespace());
            }
        }
        assertEquals(Set.of(k8s.one("Namespace").name()), namespaces);
        JsonNode kustomization = k8s.one("Kustomization").json();
        assertEquals(k8s.one("Namespace").name(), kustomization.path("namespace").asText());
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        for (String f : listed) {
            assertTrue(Files.isRegularFile(Checkout.file(KubernetesManifests.DIRECTORY).resolve(f)), f);
        }
        Set<String> expected = new TreeSet<>();
        for (Resource r : k8s.all()) {
            if (!r.kind().equals("Kustomization") && !r.kind().equals("Secret")) {
                expected.add(r.file().getFileName().toString());
            }
        }
        assertEquals(expected, listed, "kustomization applies every manifest except the example Secret");
    }

    @Test
    void theStatefulSetRunsThreeReplicasWithAPersistentStateDirectory() throws IOException {
        assertEquals(3, statefulSet.path("spec").path("replicas").asInt());
        assertTrue(selects(statefulSet.path("spec").path("selector").path("matchLabels"), podLabels()));
        JsonNode claims = statefulSet.path("spec").path("volumeClaimTemplates");
        assertEquals(1, claims.size());
        String claim = claims.get(0).path("metadata").path("name").asText();
        assertFalse(claims.get(0).path("spec").path("resources").path("requests").path("storage").asText().isBlank());
        String mountPath = null;
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("name").asText().equals(claim)) {
                mountPath = m.path("mountPath").asText();
            }
        }
        assertNotNull(mountPath, "the claim is mounted");
        String stateDir = env().get(Settings.envName(AppDefaults.STATE_DIR)).path("value").asText();
        assertTrue(stateDir.startsWith(mountPath + "/"), stateDir + " on the persistent volume " + mountPath);
        assertEquals(stateDir, configFile().getProperty(AppDefaults.STATE_DIR), "config file and environment agree");
        assertTrue(podSpec.path("terminationGracePeriodSeconds").asInt() >= 30, "time for a clean Kafka Streams shutdown");
        JsonNode security = podSpec.path("securityContext");
        assertTrue(security.path("runAsNonRoot").asBoolean());
        assertTrue(security.has("fsGroup"), "the volume is writable by the non-root user");
    }

    @Test
    void theHeadlessServiceSelectsThePodsAndIsTheStatefulSetsServiceName() throws IOException {
        Resource headless = k8s.ofKind("Service").stream()
                .filter(s -> s.json().path("spec").path("clusterIP").asText().equals("None")).findFirst().orElseThrow();
        assertEquals(headless.name(), statefulSet.path("spec").path("serviceName").asText());
        for (Resource service : k8s.ofKind("Service")) {
            JsonNode spec = service.json().path("spec");
            assertTrue(selects(spec.path("selector"), podLabels()), service.name() + " selects the pods");
            for (JsonNode p : spec.path("ports")) {
                assertEquals(httpPort(), containerPort(p.path("targetPort").asText()),
                        service.name() + " targets the HTTP port");
            }
        }
        assertTrue(k8s.ofKind("Service").size() >= 2, "a headless service for pod-to-pod queries and one for the API");
        for (Resource pdb : k8s.ofKind("PodDisruptionBudget")) {
            assertTrue(selects(pdb.json().path("spec").path("selector").path("matchLabels"), podLabels()));
        }
    }

    @Test
    void eachPodAdvertisesItsStableDnsNameThroughTheHeadlessService() {
        Map<String, JsonNode> env = env();
        String advertised = env.get(Settings.envName(AppDefaults.HTTP_ADVERTISED_HOST)).path("value").asText();
        String headless = statefulSet.path("spec").path("serviceName").asText();
        assertEquals("$(POD_NAME)." + headless + ".$(POD_NAMESPACE).svc.cluster.local", advertised);
        List<String> names = new ArrayList<>(env.keySet());
        int at = names.indexOf(Settings.envName(AppDefaults.HTTP_ADVERTISED_HOST));
        assertTrue(names.indexOf("POD_NAME") >= 0 && names.indexOf("POD_NAME") < at, "POD_NAME defined before it is referenced");
        assertTrue(names.indexOf("POD_NAMESPACE") >= 0 && names.indexOf("POD_NAMESPACE") < at);
        assertEquals("metadata.name", env.get("POD_NAME").path("valueFrom").path("fieldRef").path("fieldPath").asText());
        assertEquals("metadata.namespace", env.get("POD_NAMESPACE").path("valueFrom").path("fieldRef").path("fieldPath").asText());
    }

    @Test
    void probesHitTheAppsHealthEndpointsOnTheContainersHttpPort() throws IOException {
        int httpPort = httpPort();
        assertEquals("0.0.0.0", configFile().getProperty(AppDefaults.HTTP_BIND), "reachable by the kubelet and the other pods");
        Map<String, String> paths = Map.of("livenessProbe", HealthRoutes.LIVE, "readinessProbe", HealthRoutes.READY, "startupProbe", HealthRoutes.LIVE);
        paths.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals(path, get.path("path").asText(), probe);
            assertEquals(httpPort, containerPort(get.path("port").asText()), probe + " port");
        });
        JsonNode annotations = statefulSet.path("spec").path("template").path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals(String.valueOf(httpPort), annotations.path("prometheus.io/port").asText());
        assertEquals(MetricsEndpoint.PATH, annotations.path("prometheus.io/path").asText());
    }

    @Test
    void resourcesAreRequestedAndLimitedWithMemoryRequestEqualToTheLimitTheHeapFollows() {
        JsonNode resources = container.path("resources");
        for (String r : List.of("cpu", "memory")) {
            assertFalse(resources.path("requests").path(r).asText().isBlank(), "request " + r);
            assertFalse(resources.path("limits").path(r).asText().isBlank(), "limit " + r);
        }
        assertEquals(resources.path("requests").path("memory").asText(), resources.path("limits").path("memory").asText());
        // The heap is a share of the container limit (set in the image), not a fixed -Xmx that could exceed it.
        assertTrue(Checkout.text(Checkout.file("Dockerfile")).contains("-XX:MaxRAMPercentage="));
        container.path("env").forEach(e -> assertFalse(e.path("value").asText().contains("-Xmx"), "no fixed heap overriding the limit"));
    }

    @Test
    void theConfigFileIsMountedWhereTheRunCommandReadsItAndNamesOnlyRealSettings() throws IOException {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        ParseResult run = RetentionPulse.commandLine().parseArgs(args.toArray(String[]::new)).subcommand();
        assertEquals("run", run.commandSpec().name());
        String config = run.matchedOptionValue("--config", (java.nio.file.Path) null).toString();
        String configVolume = null;
        for (JsonNode v : podSpec.path("volumes")) {
            if (v.path("configMap").path("name").asText().equals(k8s.one("ConfigMap").name())) {
                configVolume = v.path("name").asText();
            }
        }
        assertNotNull(configVolume, "the ConfigMap is a volume");
        String mountPath = null;
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("name").asText().equals(configVolume)) {
                mountPath = m.path("mountPath").asText();
            }
        }
        String key = k8s.one("ConfigMap").json().path("data").fieldNames().next();
        assertEquals(mountPath + "/" + key, config);

        Set<String> unknown = new TreeSet<>();
        for (String k : configFile().stringPropertyNames()) {
            if (!SettingKeys.isSetting(k)) {
                unknown.add(k);
            }
        }
        assertEquals(Set.of(), unknown, "keys the application does not read");
        assertFalse(configFile().stringPropertyNames().stream().anyMatch(k -> k.contains("password") || k.contains("jaas") || k.contains("token")),
                "credentials come from the Secret, not the ConfigMap");
    }

    @Test
    void environmentVariablesNameRealSettingsAndSecretsComeFromTheExampleSecretsKeys() {
        Resource secret = k8s.one("Secret");
        Set<String> secretKeys = new HashSet<>();
        secret.json().path("stringData").fieldNames().forEachRemaining(secretKeys::add);
        secret.json().path("stringData").forEach(v -> assertTrue(v.asText().contains("CHANGE-ME"), "placeholder values only"));
        assertTrue(secret.file().getFileName().toString().contains("example"));
        env().forEach((name, e) -> {
            if (name.startsWith(Settings.ENV_PREFIX)) {
                assertTrue(SettingKeys.ofEnvironmentVariable(name).isPresent(), name + " sets no setting");
            }
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                assertEquals(secret.name(), ref.path("name").asText(), name);
                assertTrue(secretKeys.contains(ref.path("key").asText()), name + ": key " + ref.path("key").asText());
            }
        });
    }
}
