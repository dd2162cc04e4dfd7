package org.retentionpulse.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.retentionpulse.app.RetentionPulse;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.deploy.ComposeFile.Mount;
import org.retentionpulse.app.deploy.ComposeFile.Port;
import org.retentionpulse.app.http.HealthRoutes;
import org.retentionpulse.app.http.MetricsEndpoint;
import picocli.CommandLine.ParseResult;

/** docker-compose.yml: Kafka in KRaft mode, the app, Prometheus, Grafana and the generator wired to each other. */
class ComposeFileTest {
    private final ComposeFile compose = new ComposeFile();

    /** Listener name -> host:port of a listeners list such as {@code INTERNAL://kafka:29092,EXTERNAL://:9092}. */
    static Map<String, String> listeners(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : value.split(",")) {
            String[] parts = l.trim().split("://", 2);
            out.put(parts[0], parts[1]);
        }
        return out;
    }

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    static String host(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    static int appHttpPort() {
        return Integer.parseInt(SettingKeys.defaultOf(AppDefaults.HTTP_PORT));
    }

    @Test
    void servicesAreKafkaTheAppPrometheusGrafanaAndTheGeneratorAsAnOptionalProfile() {
        Set<String> names = new TreeSet<>();
        compose.services().fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("kafka", "app", "prometheus", "grafana", "generator"), names);
        assertEquals(List.of("generator"), compose.list(compose.service("generator").path("profiles")));
        for (String always : List.of("kafka", "app", "prometheus", "grafana")) {
            assertTrue(compose.service(always).path("profiles").isMissingNode(), always + " starts without a profile");
        }
        assertTrue(compose.service("prometheus").path("image").asText().startsWith("prom/prometheus:"));
        assertTrue(compose.service("grafana").path("image").asText().startsWith("grafana/grafana:"));
    }

    @Test
    void kafkaIsTheOfficialImageInKraftModeAsOneCombinedNode() {
        assertTrue(compose.service("kafka").path("image").asText().matches("apache/kafka:4\\.\\d+\\.\\d+"),
                "official apache/kafka 4.x image with a pinned tag");
        Map<String, String> env = compose.environment("kafka");
        assertEquals(Set.of("broker", "controller"), Set.of(env.get("KAFKA_PROCESS_ROLES").split(",")));
        String nodeId = env.get("KAFKA_NODE_ID");
        assertFalse(env.get("CLUSTER_ID").isBlank(), "a fixed cluster id, so the log directory is formatted once");

        Map<String, String> listeners = listeners(env.get("KAFKA_LISTENERS"));
        Map<String, String> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
        Set<String> mapped = new TreeSet<>();
        for (String entry : env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")) {
            mapped.add(entry.split(":")[0]);
        }
        assertEquals(mapped, listeners.keySet(), "every listener has a security protocol and vice versa");
        String controller = env.get("KAFKA_CONTROLLER_LISTENER_NAMES");
        assertTrue(listeners.containsKey(controller), "controller listener is a listener");
        assertFalse(advertised.containsKey(controller), "the controller listener is not advertised to clients");
        assertEquals(new TreeSet<>(listeners.keySet()), new TreeSet<>(concat(advertised.keySet(), controller)),
                "every client listener is advertised");

        // One voter: this node, at its own name, on the controller listener's port.
        String[] voter = env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split("@");
        assertEquals(nodeId, voter[0]);
        String kafkaHost = compose.service("kafka").path("hostname").asText("kafka");
        assertEquals(kafkaHost + ":" + port(listeners.get(controller)), voter[1]);

        String internal = env.get("KAFKA_INTER_BROKER_LISTENER_NAME");
        assertEquals(kafkaHost, host(advertised.get(internal)), "the internal listener advertises the compose name");
        assertEquals(port(listeners.get(internal)), port(advertised.get(internal)));
        // The other advertised listener is for clients on the host: localhost and a published port.
        advertised.forEach((name, hostPort) -> {
            if (!name.equals(internal)) {
                assertEquals("localhost", host(hostPort), name);
                assertTrue(compose.ports("kafka").contains(new Port(port(hostPort), port(listeners.get(name)))),
                        name + " is published on " + port(hostPort));
            }
        });
        for (String rf : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            assertEquals("1", env.get(rf), rf + " on a single node (exactly-once needs the transaction log)");
        }
        Mount data = compose.mountAt("kafka", env.get("KAFKA_LOG_DIRS")).orElseThrow(() -> new AssertionError("log dir on a volume"));
        assertTrue(compose.volumes().has(data.source()), "named volume " + data.source() + " declared");
        assertFalse(compose.service("kafka").path("healthcheck").path("test").isMissingNode(), "kafka has a healthcheck");
    }

    private static List<String> concat(Set<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    /** The internal listener the other containers use, as host:port. */
    private String internalBootstrap() {
        Map<String, String> env = compose.environment("kafka");
        return listeners(env.get("KAFKA_ADVERTISED_LISTENERS")).get(env.get("KAFKA_INTER_BROKER_LISTENER_NAME"));
    }

    @Test
    void theAppIsBuiltFromTheDockerfileAndReachesKafkaOnTheInternalListenerOnceItIsHealthy() {
        JsonNode app = compose.service("app");
        Path context = Checkout.root().resolve(app.path("build").path("context").asText());
        assertEquals(Checkout.root().normalize(), context.normalize());
        assertTrue(Files.isRegularFile(context.resolve(app.path("build").path("dockerfile").asText("Dockerfile"))));
        assertEquals(internalBootstrap(), compose.environment("app").get(Settings.envName(AppDefaults.BOOTSTRAP_SERVERS)));
        assertEquals("service_healthy", app.path("depends_on").path("kafka").path("condition").asText());
        ParseResult run = RetentionPulse.commandLine().parseArgs(compose.list(app.path("command")).toArray(String[]::new));
        assertEquals("run", run.subcommand().commandSpec().name());
    }

    @Test
    void everyAppEnvironmentVariableNamesARealSetting() {
        List<String> unknown = new ArrayList<>();
        compose.environment("app").keySet().forEach(name -> {
            if (SettingKeys.ofEnvironmentVariable(name).isEmpty()) {
                unknown.add(name);
            }
        });
        assertEquals(List.of(), unknown, "environment variables that set no setting (see AppDefaults)");
    }

    @Test
    void theAppListensOnAllInterfacesOnItsHttpPortPublishedWithAHealthcheckOnLiveness() {
        Map<String, String> env = compose.environment("app");
        int port = appHttpPort();
        assertEquals(String.valueOf(port), env.getOrDefault(Settings.envName(AppDefaults.HTTP_PORT), String.valueOf(port)));
        assertEquals("0.0.0.0", env.get(Settings.envName(AppDefaults.HTTP_BIND)),
                "the app binds to localhost by default; in a container it must listen on all interfaces");
        assertTrue(compose.ports("app").stream().anyMatch(p -> p.container() == port), "HTTP port published");
        String check = String.join(" ", compose.list(compose.service("app").path("healthcheck").path("test")));
        assertTrue(check.contains("http://127.0.0.1:" + port + HealthRoutes.LIVE), check);
        Mount state = compose.mountAt("app", "/var/lib/retention-pulse").orElseThrow();
        assertTrue(env.get(Settings.envName(AppDefaults.STATE_DIR)).startsWith(state.target() + "/"),
                "state dir on the volume");
    }

    @Test
    void theGeneratorProfileRunsAValidLiveGenerateCommandAgainstTheInternalListener() {
        JsonNode generator = compose.service("generator");
        assertEquals(compose.service("app").path("image").asText(), generator.path("image").asText(), "the app's image");
        assertEquals(compose.service("app").path("build"), generator.path("build"), "built the same way");
        String[] args = compose.list(generator.path("command")).toArray(String[]::new);
        ParseResult parsed = RetentionPulse.commandLine().parseArgs(args);
        ParseResult generate = parsed.subcommand();
        assertEquals("generate", generate.commandSpec().name());
        assertEquals(internalBootstrap(), generate.matchedOptionValue("--bootstrap-servers", ""));
        assertTrue(generate.hasMatchedOption("--live"), Arrays.toString(args));
        // Live event time runs ahead of the clock: the broker must accept future timestamps.
        assertEquals(String.valueOf(Long.MAX_VALUE), compose.environment("kafka").get("KAFKA_LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS"));
    }

    @Test
    void everyMountedHostPathExistsInTheRepository() {
        List<String> missing = new ArrayList<>();
        compose.services().fieldNames().forEachRemaining(service -> {
            for (Mount m : compose.mounts(service)) {
                if (m.isBind()) {
                    if (!Files.exists(Checkout.root().resolve(m.source()))) {
                        missing.add(service + ": " + m.source());
                    }
                } else if (!compose.volumes().has(m.source())) {
                    missing.add(service + ": undeclared volume " + m.source());
                }
            }
        });
        assertEquals(List.of(), missing);
    }

    @Test
    void prometheusScrapesTheAppServiceOnItsHttpPortWithTheMountedConfig() {
        List<String> args = compose.list(compose.service("prometheus").path("command"));
        String configFile = args.stream().filter(a -> a.startsWith("--config.file=")).findFirst().orElseThrow().split("=", 2)[1];
        Mount config = compose.mountAt("prometheus", configFile).orElseThrow(() -> new AssertionError("config mounted at " + configFile));
        assertEquals(Checkout.file(PrometheusConfig.PATH).normalize(), Checkout.root().resolve(config.source()).normalize());

        JsonNode job = PrometheusConfig.appJob();
        assertEquals(MetricsEndpoint.PATH, job.path("metrics_path").asText(MetricsEndpoint.PATH));
        List<String> targets = new ArrayList<>();
        job.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
        assertEquals(List.of("app:" + appHttpPort()), targets, "the compose service name and the app's HTTP port");
    }

    @Test
    void grafanaProvisioningAndDashboardsAreMountedWhereTheProvisioningFilesPoint() {
        Mount provisioning = compose.mountAt("grafana", "/etc/grafana/provisioning").orElseThrow();
        Path provisioningDir = Checkout.root().resolve(provisioning.source()).normalize();
        assertEquals(Checkout.file("deploy/grafana/provisioning").normalize(), provisioningDir);
        assertTrue(Files.isDirectory(provisioningDir.resolve("datasources")));
        assertTrue(Files.isDirectory(provisioningDir.resolve("dashboards")));

        JsonNode providers = Checkout.yaml(provisioningDir.resolve("dashboards/retention-pulse.yml")).path("providers");
        assertEquals(1, providers.size());
        String path = providers.get(0).path("options").path("path").asText();
        Mount dashboards = compose.mountAt("grafana", path).orElseThrow(() -> new AssertionError("nothing mounted at provider path " + path));
        assertEquals(Checkout.file(GrafanaDashboards.DIRECTORY).normalize(), Checkout.root().resolve(dashboards.source()).normalize());

        String home = compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertTrue(home.startsWith(path + "/"));
        assertTrue(Files.isRegularFile(Checkout.file(GrafanaDashboards.DIRECTORY).resolve(home.substring(path.length() + 1))), home);

        JsonNode ds = Checkout.yaml(provisioningDir.resolve("datasources/prometheus.yml")).path("datasources").get(0);
        assertTrue(compose.ports("prometheus").stream().anyMatch(p -> p.container() == 9090));
        assertEquals("http://prometheus:9090", ds.path("url").asText(), "the compose service and Prometheus' default port");
    }
}
