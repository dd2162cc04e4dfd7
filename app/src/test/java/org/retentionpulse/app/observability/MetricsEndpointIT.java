package org.retentionpulse.app.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.Eventually;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.pipeline.ServedPipeline;
import org.retentionpulse.app.pipeline.TopicProvisioner;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.topology.TopologyConfig;

/**
 * The running pipeline's {@code /metrics} on a real broker: a small stream with duplicates, invalid and late
 * records goes in, the scrape is parsed strictly as Prometheus text and every metric family the dashboards use
 * has the values the stream implies.
 */
class MetricsEndpointIT {
    private static EmbeddedKafkaBroker broker;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static String signup(String id, String customer, String day, String plan, String country) {
        return "{\"type\":\"signup\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\"" + day
                + "T08:00:00Z\",\"plan\":\"" + plan + "\",\"country\":\"" + country + "\",\"channel\":\"web\"}";
    }

    static String purchase(String id, String customer, String at, String amount) {
        return "{\"type\":\"purchase\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\"" + at
                + "\",\"order_id\":\"o-" + id + "\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\"}";
    }

    static String nps(String id, String customer, String at, int score) {
        return "{\"type\":\"survey\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\"" + at
                + "\",\"survey\":\"NPS\",\"score\":" + score + "}";
    }

    @Test
    void scrapeIsValidPrometheusTextWithBusinessPipelineLatencyAndKafkaStreamsFamilies(@TempDir Path state) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        overrides.put(AppDefaults.APPLICATION_ID, "metrics-endpoint-it");
        overrides.put(AppDefaults.STATE_DIR, state.toString());
        overrides.put(AppDefaults.WINDOWS, "P1D/P1D");
        overrides.put(AppDefaults.UPDATE_INTERVAL, "PT0.2S");
        overrides.put(AppDefaults.HTTP_PORT, "0");
        overrides.put(AppDefaults.METRICS_SEGMENT_CAP, "1");
        overrides.put("streams.commit.interval.ms", "100");
        PipelineSettings ps = new PipelineSettings(Settings.load(null, Map.of(), overrides));
        TopologyConfig topology = ps.topology(1);
        try (TopicProvisioner topics = new TopicProvisioner(ps.clientProperties())) {
            topics.createMissing(topology.topics(), 1, (short) 1);
        }
        try (ServedPipeline served = ServedPipeline.start(ps, topology, Map.of())) {
            Eventually.await("readiness", Duration.ofSeconds(60), () -> get(served.url() + "/health/ready", null).statusCode(), s -> s == 200);

            String topic = topology.topics().inputs().get(0);
            List<String[]> events = List.of(
                    new String[] {"c1", signup("s1", "c1", "2024-03-01", "pro", "DE")},
                    new String[] {"c2", signup("s2", "c2", "2024-03-01", "pro", "AT")},
                    new String[] {"c3", signup("s3", "c3", "2024-03-01", "basic", "DE")},
                    new String[] {"c4", signup("s4", "c4", "2024-03-01", "enterprise", "FR")},
                    new String[] {"c1", purchase("p1", "c1", "2024-03-01T10:00:00Z", "10.00")},
                    new String[] {"c1", purchase("p1", "c1", "2024-03-01T10:00:00Z", "10.00")}, // duplicate id
                    new String[] {"c1", purchase("p2", "c1", "2024-03-01T11:00:00Z", "5.50")},
                    new String[] {"c2", purchase("p3", "c2", "2024-03-01T12:00:00Z", "7.25")},
                    new String[] {"c1", nps("n1", "c1", "2024-03-01T13:00:00Z", 10)},
                    new String[] {"c3", nps("n2", "c3", "2024-03-01T13:00:00Z", 3)},
                    new String[] {"c3", nps("n3", "c3", "2024-03-01T14:00:00Z", 11)}, // score out of range
                    new String[] {"c9", "this is not an event"},
                    new String[] {"c1", purchase("p4", "c1", "2024-03-05T10:00:00Z", "1.00")}, // advances stream time
                    new String[] {"c2", purchase("p5", "c2", "2024-03-01T15:00:00Z", "2.00")}); // late for every window
            produce(topic, events);

            PrometheusText scrape = Eventually.await("all events counted and the current window's gauges", Duration.ofSeconds(90),
                    () -> PrometheusText.parse(get(served.url() + "/metrics", null).body()),
                    s -> sum(s, "retention_pulse_events_total") == 11
                            && s.samples("retention_pulse_late_events_total").get(0).value() == 1
                            && hasGauge(s, "active_customers", "all") && hasGauge(s, "active_customers", "plan=other")
                            // the March 5 window (revenue 1.00) has replaced March 1 (22.75) as the current one
                            && hasGauge(s, "revenue", "all") && gauge(s, "revenue", "all") == 1.0
                            && activePlans(s) == 4
                            && s.value("retention_pulse_end_to_end_latency_seconds_count", Map.of("output", "metric-update")) > 0);

            // pipeline health
            assertEquals("counter", scrape.types.get("retention_pulse_events_total"));
            assertEquals(4, scrape.value("retention_pulse_events_total", Map.of("type", "signup")));
            assertEquals(5, scrape.value("retention_pulse_events_total", Map.of("type", "purchase")));
            assertEquals(2, scrape.value("retention_pulse_events_total", Map.of("type", "survey")));
            assertEquals(0, scrape.value("retention_pulse_events_total", Map.of("type", "cancellation")));
            assertEquals(1, scrape.samples("retention_pulse_duplicates_total").get(0).value());
            assertEquals(1, scrape.value("retention_pulse_rejected_total", Map.of("reason", "score_out_of_range")));
            assertEquals(1, scrape.value("retention_pulse_rejected_total", Map.of("reason", "not_json")));
            assertEquals(2, sum(scrape, "retention_pulse_rejected_total"));

            // business gauges: the current window is March 5 (the greatest start seen); 4 customers active
            assertEquals("gauge", scrape.types.get("retention_pulse_metric_value"));
            assertEquals(4, gauge(scrape, "active_customers", "all"));
            assertEquals(1, gauge(scrape, "revenue", "all"), 1e-9);
            // segment cap 1: one plan keeps its series, the other two are folded exactly (sum of components)
            List<PrometheusText.Sample> plans = scrape.samples("retention_pulse_metric_value").stream()
                    .filter(s -> s.labels().get("metric").equals("active_customers") && s.labels().get("segment").startsWith("plan=")
                            && !s.labels().get("segment").equals("plan=other")).toList();
            assertEquals(1, plans.size(), "cap 1 admits one plan value: " + plans);
            assertEquals(4, plans.get(0).value() + gauge(scrape, "active_customers", "plan=other"));
            assertTrue(scrape.samples("retention_pulse_metric_value").stream().allMatch(s -> s.labels().keySet()
                    .equals(java.util.Set.of("metric", "window", "segment"))));
            assertEquals(0, scrape.value("retention_pulse_alerts_total", Map.of("level", "HIGH", "reason", "INACTIVE")));

            // latency histogram: buckets checked by the parser; values are wall-clock seconds, not event time
            assertEquals("histogram", scrape.types.get("retention_pulse_end_to_end_latency_seconds"));
            double count = scrape.value("retention_pulse_end_to_end_latency_seconds_count", Map.of("output", "metric-update"));
            double mean = scrape.value("retention_pulse_end_to_end_latency_seconds_sum", Map.of("output", "metric-update")) / count;
            assertTrue(mean >= 0 && mean < 600, "mean latency " + mean + " s is wall-clock, not event-time based");
            assertTrue(scrape.types.containsKey("retention_pulse_end_to_end_latency_seconds_max"));

            // Kafka Streams' own client metrics through the Micrometer binder
            assertTrue(sum(scrape, "kafka_stream_thread_process_total") > 0);
            assertTrue(scrape.types.containsKey("kafka_consumer_fetch_manager_records_lag_max"));

            // State-store metrics: every numeric one Kafka Streams has is exported, in-memory and RocksDB stores alike,
            // under one "store" label (Prometheus refuses a second set of tag keys for one name).
            Set<String> kinds = new TreeSet<>();
            PrometheusText withStores = Eventually.await("every state-store metric exported", Duration.ofSeconds(60),
                    () -> PrometheusText.parse(get(served.url() + "/metrics", null).body()),
                    s -> missingStateStoreMetrics(served, s, kinds).isEmpty());
            assertTrue(kinds.containsAll(Set.of("in-memory-state-id", "rocksdb-state-id")), "both kinds of store have metrics: " + kinds);
            assertEquals(List.of(), missingStateStoreMetrics(served, withStores, kinds));
            // (kafka_stream_state_updater_* is the state-updater thread's group, not a store's.)
            assertEquals(List.of(), withStores.samples.stream().filter(x -> x.name().startsWith("kafka_stream_state_")
                    && !x.name().startsWith("kafka_stream_state_updater_") && !x.labels().containsKey("store")).toList(),
                    "every state-store sample has the store label");

            HttpResponse<String> open = get(served.url() + "/metrics", "application/openmetrics-text; version=1.0.0");
            assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
            assertTrue(open.body().stripTrailing().endsWith("# EOF"));
        }
    }

    /**
     * The numeric state-store metrics of the running Kafka Streams instance that have no sample in the scrape
     * (name {@code kafka_stream_state_<metric>}, labels {@code store} and {@code task_id}); notes the store tag kinds seen.
     */
    private static List<String> missingStateStoreMetrics(ServedPipeline served, PrometheusText scrape, Set<String> kinds) {
        List<String> missing = new java.util.ArrayList<>();
        served.pipeline().streams().metrics().forEach((name, metric) -> {
            if (!name.group().equals("stream-state-metrics") || !(metric.metricValue() instanceof Number)) {
                return;
            }
            String kind = name.tags().keySet().stream().filter(k -> k.endsWith("-state-id")).findFirst().orElse(null);
            if (kind == null) {
                return;
            }
            kinds.add(kind);
            String family = "kafka_stream_state_" + name.name().replace('-', '_');
            String store = name.tags().get(kind);
            boolean found = scrape.samples.stream().anyMatch(x -> (x.name().equals(family) || x.name().equals(family + "_total"))
                    && store.equals(x.labels().get("store")) && name.tags().get("task-id").equals(x.labels().get("task_id")));
            if (!found) {
                missing.add(family + "{store=" + store + ", task_id=" + name.tags().get("task-id") + "} (" + kind + ")");
            }
        });
        return missing;
    }

    /** Active customers over the plan series (admitted and folded); 4 once every segment's March 5 update arrived. */
    private static double activePlans(PrometheusText s) {
        return s.samples("retention_pulse_metric_value").stream()
                .filter(x -> x.labels().get("metric").equals("active_customers") && x.labels().get("segment").startsWith("plan="))
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static boolean hasGauge(PrometheusText s, String metric, String segment) {
        return s.samples("retention_pulse_metric_value").stream().anyMatch(x -> x.labels().get("metric").equals(metric)
                && x.labels().get("segment").equals(segment) && x.labels().get("window").equals("P1D/P1D")
                && (!segment.equals("all") || !metric.equals("active_customers") || x.value() == 4));
    }

    private static double gauge(PrometheusText s, String metric, String segment) {
        return s.value("retention_pulse_metric_value", Map.of("metric", metric, "segment", segment, "window", "P1D/P1D"));
    }

    private static double sum(PrometheusText s, String name) {
        return s.samples(name).stream().mapToDouble(PrometheusText.Sample::value).sum();
    }

    static void produce(String topic, List<String[]> events) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (String[] e : events) {
                producer.send(new ProducerRecord<>(topic, e[0], e[1].getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    static HttpResponse<String> get(String url, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
