package org.retentionpulse.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.Eventually;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.deploy.GrafanaDashboards.PanelQuery;
import org.retentionpulse.app.deploy.GrafanaDashboards.Variable;
import org.retentionpulse.app.http.HealthRoutes;
import org.retentionpulse.app.http.MetricsEndpoint;
import org.retentionpulse.app.pipeline.ServedPipeline;
import org.retentionpulse.app.pipeline.TopicProvisioner;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.topology.TopologyConfig;

/**
 * The dashboards against the real application: a pipeline with its HTTP server on a real (embedded KRaft)
 * broker, fed a small stream that makes every panel meaningful (every metric defined, a duplicate, an
 * invalid record, a late event) plus a steady trickle of purchases so that rates are not zero. Checks that
 * every metric name the dashboards query is in the app's {@code /metrics}, and, where the {@code prometheus}
 * binary is installed, that a real Prometheus scraping the app returns data for every dashboard query.
 */
class DashboardQueriesIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** Day 1 of the test stream; day 0 has the signups, day 1 everything the metrics need, a trickle stays in day 1. */
    private static final Instant DAY0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant DAY1 = DAY0.plus(Duration.ofDays(1));
    private static final Pattern SAMPLE_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** Series Prometheus adds to every scrape itself; the app does not export them. */
    private static final Set<String> PROMETHEUS_SYNTHETIC = Set.of("up");

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker broker;
    private static ServedPipeline app;
    private static KafkaProducer<String, String> producer;
    private static ScheduledExecutorService trickle;
    private static String input;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startThePipelineAndFeedIt() throws Exception {
        broker = EmbeddedKafkaBroker.builder().start();
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        overrides.put(AppDefaults.APPLICATION_ID, "dashboard-queries-it");
        overrides.put(AppDefaults.STATE_DIR, dir.resolve("state").toString());
        // The default windows (P1D, P7D, P30D), so the dashboards' default window is among the real values.
        overrides.put(AppDefaults.GRACE, "PT1H");
        overrides.put(AppDefaults.TOPICS_PARTITIONS, "1");
        overrides.put(AppDefaults.HTTP_PORT, "0");
        overrides.put(AppDefaults.HTTP_BIND, "127.0.0.1");
        // One metric alert rule, so the metric alert counter the alerts dashboard charts is exported (zero until it fires).
        Path rules = Files.writeString(dir.resolve("alert.rules"),
                "churn-high threshold metric=churn_rate window=P1D/P1D segment=* above=20 min_n=2\n");
        overrides.put(AppDefaults.ALERTS_RULES, rules.toString());
        PipelineSettings settings = new PipelineSettings(Settings.load(null, Map.of(), overrides));
        TopologyConfig topology;
        try (TopicProvisioner topics = new TopicProvisioner(settings.clientProperties())) {
            TopologyConfig draft = settings.topology(1);
            topics.createMissing(draft.topics(), 1, (short) 1);
            topology = settings.topology(topics.inputPartitions(draft.topics().inputs()));
        }
        app = ServedPipeline.start(settings, topology, Map.of());
        input = topology.topics().inputs().get(0);

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        Eventually.await("the pipeline is ready", DEADLINE, () -> status(HealthRoutes.READY), status -> status == 200);
        for (String event : stream()) {
            send(event);
        }
        producer.flush();
        // Purchases inside day 1 keep throughput, latency and process rate above zero without moving any window.
        AtomicLong n = new AtomicLong();
        trickle = Executors.newSingleThreadScheduledExecutor();
        trickle.scheduleAtFixedRate(() -> {
            long i = n.incrementAndGet();
            send(purchase("t" + i, "c1", DAY1.plusSeconds(12 * 3600 + i), "o-t" + i, "5.00", "EUR"));
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    /**
     * Three customers sign up on day 0; on day 1 one cancels (churn > 0, so CLV is defined), a referral
     * customer signs up, they buy (one twice) and answer each survey. A fourth customer cancels on day 0 and comes
     * back on day 1 (a win-back from a pool of one: reactivation_rate is defined). Plus a duplicate, an invalid record
     * and an event older than every window's grace.
     */
    static List<String> stream() {
        List<String> events = new ArrayList<>();
        events.add(signup("s1", "c1", DAY0.plusSeconds(3600), "pro", "DE", "referral"));
        events.add(signup("s2", "c2", DAY0.plusSeconds(7200), "basic", "FR", "organic"));
        events.add(signup("s3", "c3", DAY0.plusSeconds(10800), "pro", "DE", "ads"));
        events.add(signup("s5", "c5", DAY0.plusSeconds(11000), "pro", "DE", "ads"));
        events.add(cancellation("x5", "c5", DAY0.plusSeconds(12000)));
        events.add(purchase("p1", "c1", DAY1.plusSeconds(3600), "o1", "19.99", "EUR"));
        events.add(purchase("p2", "c1", DAY1.plusSeconds(7200), "o2", "5.01", "EUR"));
        events.add(purchase("p3", "c3", DAY1.plusSeconds(7300), "o3", "42.00", "EUR"));
        events.add(cancellation("x1", "c2", DAY1.plusSeconds(9000)));
        events.add(signup("s4", "c4", DAY1.plusSeconds(9500), "basic", "DE", "referral"));
        events.add(signup("s6", "c5", DAY1.plusSeconds(9600), "pro", "DE", "ads"));
        events.add(survey("v1", "c1", DAY1.plusSeconds(10000), "NPS", 9));
        events.add(survey("v2", "c3", DAY1.plusSeconds(10100), "NPS", 3));
        events.add(survey("v3", "c1", DAY1.plusSeconds(10200), "CSAT", 4));
        events.add(survey("v4", "c3", DAY1.plusSeconds(10300), "CES", 2));
        events.add(survey("v5", "c1", DAY1.plusSeconds(10400), "CES", 4)); // two responses: CES has an interval
        events.add(purchase("p2", "c1", DAY1.plusSeconds(7200), "o2", "5.01", "EUR")); // duplicate of p2
        events.add("{\"type\":\"survey\",\"event_id\":\"bad\",\"customer_id\":\"c1\""); // not JSON: rejected
        events.add(purchase("late1", "c3", DAY0.minus(Duration.ofDays(40)), "o-late", "1.00", "EUR")); // beyond every window's end + grace
        return events;
    }

    static String signup(String id, String customer, Instant at, String plan, String country, String channel) {
        return String.format("{\"type\":\"signup\",\"event_id\":\"%s\",\"customer_id\":\"%s\",\"occurred_at\":\"%s\",\"plan\":\"%s\","
                + "\"country\":\"%s\",\"channel\":\"%s\"}", id, customer, at, plan, country, channel);
    }

    static String purchase(String id, String customer, Instant at, String order, String amount, String currency) {
        return String.format("{\"type\":\"purchase\",\"event_id\":\"%s\",\"customer_id\":\"%s\",\"occurred_at\":\"%s\",\"order_id\":\"%s\","
                + "\"amount\":\"%s\",\"currency\":\"%s\"}", id, customer, at, order, amount, currency);
    }

    static String cancellation(String id, String customer, Instant at) {
        return String.format("{\"type\":\"cancellation\",\"event_id\":\"%s\",\"customer_id\":\"%s\",\"occurred_at\":\"%s\"}", id, customer, at);
    }

    static String survey(String id, String customer, Instant at, String survey, int score) {
        return String.format("{\"type\":\"survey\",\"event_id\":\"%s\",\"customer_id\":\"%s\",\"occurred_at\":\"%s\",\"survey\":\"%s\","
                + "\"score\":%d}", id, customer, at, survey, score);
    }

    private static void send(String json) {
        Matcher customer = Pattern.compile("\"customer_id\":\"([^\"]+)\"").matcher(json);
        producer.send(new ProducerRecord<>(input, customer.find() ? customer.group(1) : "c1", json));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (trickle != null) {
            trickle.shutdownNow();
            trickle.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (app != null) {
            app.close(Duration.ofSeconds(20));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(app.url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String scrape() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(app.url() + MetricsEndpoint.PATH))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode());
            return r.body();
        } catch (IOException e) {
            throw new AssertionError("scrape failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sample names of a scrape (MetricsEndpointIT checks the text format itself strictly). */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            Matcher m = SAMPLE_NAME.matcher(line);
            if (!line.startsWith("#") && m.lookingAt()) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static Set<String> dashboardMetricNames() {
        Set<String> names = new TreeSet<>();
        GrafanaDashboards.allQueries().forEach(q -> names.addAll(PromQlMetricNames.in(q.expr())));
        GrafanaDashboards.allVariables().forEach(v -> names.addAll(PromQlMetricNames.in(v.selector())));
        names.removeAll(PROMETHEUS_SYNTHETIC);
        return names;
    }

    @Test
    void theHealthAndMetricsPathsTheDeploymentsProbeAnswerOnTheRunningApp() {
        assertEquals(200, status(HealthRoutes.LIVE));
        assertEquals(200, status(HealthRoutes.READY));
        assertEquals(200, status(MetricsEndpoint.PATH));
    }

    @Test
    void everyMetricNameTheDashboardsQueryIsExportedByTheApp() {
        Set<String> wanted = dashboardMetricNames();
        assertTrue(wanted.size() >= 8, "the tokenizer found the dashboards' metrics: " + wanted);
        // The value is the set of names not (yet) exported: meters appear as the pipeline starts and sees records.
        Eventually.await("every metric name the dashboards query in /metrics", DEADLINE, () -> {
            Set<String> missing = new TreeSet<>(wanted);
            missing.removeAll(sampleNames(scrape()));
            return missing;
        }, Set::isEmpty);
    }

    @Test
    void aRealPrometheusScrapingTheAppReturnsDataForEveryDashboardQuery() throws IOException {
        Optional<Path> binary = PrometheusServer.binary();
        assumeTrue(binary.isPresent(), "prometheus binary not installed (apt-get install prometheus): "
                + "skipping the evaluation of the dashboard queries on a real Prometheus");
        JsonNode job = PrometheusConfig.appJob();
        String target = "127.0.0.1:" + app.port();
        try (PrometheusServer prometheus = PrometheusServer.start(binary.get(), dir.resolve("prometheus"),
                job.path("job_name").asText(), job.path("metrics_path").asText(MetricsEndpoint.PATH), target)) {
            Eventually.await("Prometheus scrapes the app", DEADLINE, prometheus::targetHealth, health -> health.startsWith("up"));

            // Template variables: label_values over the real series, substituted as Grafana does for a multi-value selection.
            Map<String, String> substitutions = new LinkedHashMap<>();
            substitutions.put("$__rate_interval", "1m");
            for (Variable v : GrafanaDashboards.allVariables()) {
                List<String> values = Eventually.await("values of variable " + v.name(), DEADLINE,
                        () -> prometheus.labelValues(v.label(), v.selector()), found -> !found.isEmpty());
                String current = v.json().path("current").path("value").path(0).asText();
                assertTrue(values.contains(current), "variable " + v.name() + "'s default " + current + " is among " + values);
                substitutions.put("$" + v.name(), values.stream().map(DashboardQueriesIT::regexEscape).collect(Collectors.joining("|", "(", ")")));
            }

            // Every query, until each has returned data at least once (a non-empty result with a finite value).
            Map<String, String> pending = new LinkedHashMap<>();
            for (PanelQuery q : GrafanaDashboards.allQueries()) {
                String expr = q.expr();
                for (var s : substitutions.entrySet()) {
                    expr = expr.replace(s.getKey(), s.getValue());
                }
                pending.put(q.toString(), expr);
            }
            int total = pending.size();
            // The value is the list of queries that have not returned data yet.
            Eventually.await("data from every one of " + total + " dashboard queries", DEADLINE, () -> {
                pending.values().removeIf(expr -> hasFiniteSample(prometheus.query(expr)));
                return new ArrayList<>(pending.keySet());
            }, List::isEmpty);
            assertFalse(total < 20, "all panels' queries were evaluated: " + total);
        }
    }

    private static boolean hasFiniteSample(JsonNode result) {
        for (JsonNode sample : result) {
            String value = sample.path("value").path(1).asText();
            try {
                if (Double.isFinite(Double.parseDouble(value))) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // "NaN", "+Inf": no data for this series
            }
        }
        return false;
    }

    private static String regexEscape(String value) {
        return value.replaceAll("[\\\\.^$|?*+()\\[\\]{}]", "\\\\$0");
    }
}
