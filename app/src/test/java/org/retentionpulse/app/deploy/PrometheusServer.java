package org.retentionpulse.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (the {@code prometheus} binary, e.g. Debian's package) run as a child process
 * with its own data directory, scraping one target every second, and a client for its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /** The prometheus binary on the PATH (or Debian's /usr/bin/prometheus), if installed. */
    static Optional<Path> binary() {
        return installed("prometheus");
    }

    /** A program of the Prometheus distribution ({@code prometheus}, {@code promtool}) on the PATH or in /usr/bin. */
    static Optional<Path> installed(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts Prometheus scraping {@code target} (host:port) at {@code metricsPath} as job {@code job}. */
    static PrometheusServer start(Path binary, Path dir, String job, String metricsPath, String target) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: " + job,
                "    metrics_path: " + metricsPath,
                "    static_configs:",
                "      - targets: ['" + target + "']",
                ""));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PrometheusServer(process, log, "http://127.0.0.1:" + port);
    }

    /** The last lines of Prometheus' own log, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** GET an API path; empty while Prometheus is not (yet) answering. */
    Optional<JsonNode> get(String pathAndQuery) {
        if (!process.isAlive()) {
            throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + logTail());
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The health of the scrape targets ("up", "down", "unknown"), joined. */
    String targetHealth() {
        return get("/api/v1/targets").map(t -> {
            StringBuilder sb = new StringBuilder();
            t.path("data").path("activeTargets").forEach(a -> sb.append(a.path("health").asText()).append(' ').append(a.path("lastError").asText()));
            return sb.toString().trim();
        }).orElse("(not answering)");
    }

    /** The result of an instant query (an array of samples; empty if none). */
    JsonNode query(String promql) {
        return get("/api/v1/query?query=" + encode(promql)).map(r -> r.path("data").path("result")).orElse(JSON.createArrayNode());
    }

    /** The values of {@code label} on the series matching {@code selector} (what Grafana's label_values shows). */
    List<String> labelValues(String label, String selector) {
        List<String> out = new java.util.ArrayList<>();
        get("/api/v1/label/" + label + "/values?match[]=" + encode(selector)).ifPresent(r -> r.path("data").forEach(v -> out.add(v.asText())));
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
