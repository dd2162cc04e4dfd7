package org.retentionpulse.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
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
import org.retentionpulse.reference.CohortCell;
import org.retentionpulse.reference.CohortKey;
import org.retentionpulse.reference.CohortPeriodRef;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.reference.ReferenceRules;
import org.retentionpulse.reference.WindowSpecRef;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.cohort.CohortTriangle;
import org.retentionpulse.topology.customer.CustomerProcessor;
import org.retentionpulse.topology.metrics.MetricHistory;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.serde.InputEventDeserializer;

/**
 * The HTTP API with two pipeline instances in one JVM (same application id, separate state directories and
 * ports, three input partitions, two segment-stage partitions): every answer (metric series, cohort triangles, risk
 * profiles) is the same from either instance, comes from the owner of the data, and equals the reference model's
 * finals for the same input.
 */
class InteractiveQueriesIT {
    private static final String WINDOWS = "P1D/P1D,P2D/P1D";
    private static final String TOKEN = "it-token";
    /** Daily cohorts, so the three days of input make a triangle with cells k = 0..2. */
    private static final String COHORTS_PERIOD = "P1D";
    private static final int COHORTS_PERIODS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static PipelineSettings settings(Path state) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        overrides.put(AppDefaults.APPLICATION_ID, "interactive-queries-it");
        overrides.put(AppDefaults.STATE_DIR, state.toString());
        overrides.put(AppDefaults.WINDOWS, WINDOWS);
        overrides.put(AppDefaults.UPDATE_INTERVAL, "PT0.2S");
        overrides.put(AppDefaults.SEGMENT_PARTITIONS, "2");
        overrides.put(AppDefaults.COHORTS_PERIOD, COHORTS_PERIOD);
        overrides.put(AppDefaults.COHORTS_PERIODS, Integer.toString(COHORTS_PERIODS));
        overrides.put(AppDefaults.HTTP_PORT, "0");
        overrides.put("streams.commit.interval.ms", "100");
        // The token comes from the environment, as in production.
        return new PipelineSettings(Settings.load(null, Map.of(Settings.envName(AppDefaults.HTTP_TOKEN), TOKEN), overrides));
    }

    /**
     * A small population over three days: several plans and countries, purchases, surveys, cancellations; in
     * event-time order, so no event is late on any partition (with several partitions, lateness is decided per
     * partition: ARCHITECTURE.md, known limits) and the reference model applies exactly.
     */
    static List<String> events() {
        String[] plans = {"pro", "basic", "free"};
        String[] countries = {"DE", "AT", "FR", "IT"};
        List<String> lines = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            String id = "cust-" + c;
            lines.add("{\"type\":\"signup\",\"event_id\":\"s" + c + "\",\"customer_id\":\"" + id + "\",\"occurred_at\":\"2024-03-01T0"
                    + (c % 10) + ":00:00Z\",\"plan\":\"" + plans[c % 3] + "\",\"country\":\"" + countries[c % 4] + "\",\"channel\":\""
                    + (c % 2 == 0 ? "referral" : "web") + "\"}");
        }
        for (int c = 0; c < 12; c++) {
            String id = "cust-" + c;
            for (int k = 0; k <= c % 3; k++) {
                lines.add("{\"type\":\"purchase\",\"event_id\":\"p" + c + "-" + k + "\",\"customer_id\":\"" + id + "\",\"occurred_at\":\"2024-03-0"
                        + (1 + k) + "T12:" + (10 + c) + ":00Z\",\"order_id\":\"o" + c + k + "\",\"amount\":\"" + (5 + c) + "." + k + "5\",\"currency\":\"EUR\"}");
            }
            lines.add("{\"type\":\"survey\",\"event_id\":\"n" + c + "\",\"customer_id\":\"" + id + "\",\"occurred_at\":\"2024-03-02T15:"
                    + (10 + c) + ":00Z\",\"survey\":\"NPS\",\"score\":" + (c % 11) + "}");
        }
        for (int c = 0; c < 12; c += 4) {
            lines.add("{\"type\":\"cancellation\",\"event_id\":\"x" + c + "\",\"customer_id\":\"cust-" + c
                    + "\",\"occurred_at\":\"2024-03-03T09:00:00Z\",\"reason\":\"" + (c == 8 ? "support" : " Price") + "\"}");
        }
        lines.sort(java.util.Comparator.comparing(l -> l.substring(l.indexOf("occurred_at"))));
        return lines;
    }

    @Test
    void eitherInstanceAnswersEveryEndpointFromTheOwnerWithTheReferenceValues(@TempDir Path stateA, @TempDir Path stateB) throws Exception {
        PipelineSettings psA = settings(stateA);
        TopologyConfig topology = psA.topology(3);
        try (TopicProvisioner topics = new TopicProvisioner(psA.clientProperties())) {
            topics.createMissing(topology.topics(), 3, (short) 1);
        }
        try (ServedPipeline a = ServedPipeline.start(psA, topology, Map.of());
             ServedPipeline b = ServedPipeline.start(settings(stateB), topology, Map.of())) {
            List<ServedPipeline> both = List.of(a, b);
            for (ServedPipeline p : both) {
                Eventually.await("both instances in the group and running", Duration.ofSeconds(90), () -> p.pipeline().streams(),
                        s -> s.state() == KafkaStreams.State.RUNNING && s.metadataForAllStreamsClients().size() == 2);
            }

            List<String> lines = events();
            ReferenceModel reference = new ReferenceModel(WindowSpecRef.parseAll(WINDOWS), ReferenceModel.DEFAULT_GRACE,
                    ReferenceModel.DEFAULT_CURRENCY, ReferenceModel.DEFAULT_DIMENSIONS, new ReferenceRules(null,
                    ChurnPolicy.DEFAULT_REASONS_CAP, true, CohortPeriodRef.parse(COHORTS_PERIOD), COHORTS_PERIODS));
            lines.forEach(reference::accept);
            produce(topology.topics().inputs().get(0), lines, Instant.parse("2024-03-10T00:00:00Z"));
            SortedMap<MetricKey, BigDecimal> finals = reference.finals();

            List<String[]> series = List.of(
                    new String[] {"active_customers", "P1D/P1D", "all"}, new String[] {"churn_rate", "P2D/P1D", "all"},
                    new String[] {"revenue", "P1D/P1D", "plan=pro"}, new String[] {"nps", "P2D/P1D", "plan=basic"},
                    new String[] {"repeat_purchase_rate", "P2D/P1D", "country=DE"}, new String[] {"referral_share", "P1D/P1D", "channel=referral"},
                    new String[] {"aov", "P1D/P1D", "country=AT"}, new String[] {"clv", "P2D/P1D", "plan=free"});
            for (String[] s : series) {
                String path = "/api/metrics/" + s[0] + "?window=" + enc(s[1]) + "&segment=" + enc(s[2])
                        + "&from=2024-02-28T00:00:00Z&to=2024-03-31T00:00:00Z";
                List<BigDecimal> expected = new ArrayList<>();
                finals.forEach((k, v) -> {
                    if (k.metric().equals(s[0]) && k.window().equals(s[1]) && k.segment().equals(s[2])) {
                        expected.add(v);
                    }
                });
                assertTrue(expected.size() >= 3, "the reference has finals for " + String.join(" ", s));
                JsonNode fromA = Eventually.await("all finals of " + String.join(" ", s), Duration.ofSeconds(90),
                        () -> getJson(a, path, TOKEN), body -> body.path("values").size() == expected.size()
                                && allFinal(body.path("values")));
                JsonNode fromB = getJson(b, path, TOKEN);
                assertEquals(fromA.get("values"), fromB.get("values"), "same answer from either instance for " + path);
                assertEquals(fromA.get("served_by"), fromB.get("served_by"), "both were served by the owner");
                assertEquals(ownerOf(a, MetricHistory.STORE, MetricHistory.key(s[0], s[1], s[2], 0), true), fromA.get("served_by").asText());
                List<BigDecimal> actual = new ArrayList<>();
                fromA.get("values").forEach(v -> actual.add(v.get("value").isNull() ? null : v.get("value").decimalValue()));
                assertDecimalsEqual(expected, actual, path);
                // Current: the window ending at the end of the latest day (for P2D/P1D the two days up to it, not the latest start).
                Instant endOfLatestDay = Instant.parse(fromA.get("values").get(fromA.get("values").size() - 1).get("window_start").asText())
                        .plus(Duration.ofDays(1));
                JsonNode expectedCurrent = null;
                for (JsonNode v : fromA.get("values")) {
                    if (Instant.parse(v.get("window_end").asText()).equals(endOfLatestDay)) {
                        expectedCurrent = v;
                    }
                }
                assertEquals(expectedCurrent, fromA.get("current"), "current of " + path);
                assertTrue(expectedCurrent != null, "a window ends with the latest day in " + path);
                assertIntervalsHoldTheirValues(s[0], fromA.get("values"));

                // Default range: the recent windows, the same series.
                JsonNode recent = getJson(b, "/api/metrics/" + s[0] + "?window=" + enc(s[1]) + "&segment=" + enc(s[2]), TOKEN);
                assertEquals(fromA.get("values"), recent.get("values"));
            }

            assertCohortTrianglesAreTheReferenceCells(a, b, reference.cohortCells());
            assertChurnReasonSharesAreTheReferenceFinals(a, b, finals);

            // Customer risk profiles live on the customer-stage task of the customer's partition.
            JsonNode riskA = Eventually.await("risk profile of cust-5", Duration.ofSeconds(30), () -> getJson(a, "/api/customers/cust-5/risk", TOKEN),
                    body -> body.path("purchase_count").asInt() == 3);
            JsonNode riskB = getJson(b, "/api/customers/cust-5/risk", TOKEN);
            assertEquals(riskA, riskB);
            assertEquals(ownerOf(a, CustomerProcessor.STATE_STORE, "cust-5", false), riskA.get("served_by").asText());
            assertEquals("free", riskA.get("plan").asText());
            assertEquals(new BigDecimal("10.05").add(new BigDecimal("10.15")).add(new BigDecimal("10.25")), riskA.get("spend").decimalValue());
            assertTrue(riskA.get("active").asBoolean());
            JsonNode churned = getJson(b, "/api/customers/cust-4/risk", TOKEN);
            assertTrue(!churned.get("active").asBoolean(), "cust-4 cancelled: " + churned);
            for (ServedPipeline p : both) {
                assertError(p, "/api/customers/nobody/risk", TOKEN, 404);
            }

            // Errors, from both instances.
            for (ServedPipeline p : both) {
                assertError(p, "/api/metrics/no_such_metric", TOKEN, 404);
                assertError(p, "/api/metrics/nps?window=P3X", TOKEN, 400);
                assertError(p, "/api/metrics/nps?window=" + enc("P7D/P1D"), TOKEN, 400);
                assertError(p, "/api/metrics/nps?segment=plan", TOKEN, 400);
                assertError(p, "/api/metrics/nps?segment=color=red", TOKEN, 400);
                assertError(p, "/api/metrics/nps?from=yesterday", TOKEN, 400);
                assertError(p, "/api/metrics/nps?from=2024-03-02T00:00:00Z&to=2024-03-01T00:00:00Z", TOKEN, 400);
                assertError(p, "/api/metrics/nps", null, 401);
                assertError(p, "/api/metrics/nps?reason=price", TOKEN, 400);
                assertError(p, "/api/cohorts?period=P1W", TOKEN, 400);
                assertError(p, "/api/cohorts?period=P1D&segment=color%3Dred", TOKEN, 400);
                assertError(p, "/api/cohorts", null, 401);
                assertError(p, "/api/metrics/nps", "wrong", 401);
                assertError(p, "/api/customers/cust-1/risk", null, 401);
                assertEquals(200, get(p, "/health/ready", null, Map.of()).statusCode());
                assertEquals(200, get(p, "/health/live", null, Map.of()).statusCode());
                assertEquals(200, get(p, "/metrics", null, Map.of()).statusCode(), "/metrics is not guarded by the API token");
            }

            // A forwarded request reaching an instance that does not own the data is refused, never forwarded again.
            String owner = ownerOf(a, MetricHistory.STORE, MetricHistory.key("nps", "P1D/P1D", "all", 0), true);
            ServedPipeline notOwner = owner.equals(a.url().substring("http://".length())) ? b : a;
            HttpResponse<String> refused = get(notOwner, "/api/metrics/nps", TOKEN, Map.of(ApiServer.FORWARDED_HEADER, "test"));
            assertEquals(503, refused.statusCode(), refused.body());
            assertNotEquals(owner, notOwner.url().substring("http://".length()));

            assertAnOpenWindowFollowsTheClosedOnesAndIsCurrent(a, b, topology, finals);
        }
    }

    /**
     * A series with closed windows (finals, in metric-history) and an open one (its update, in metric-history-open):
     * both stores answer as one, by window start, the open window's record last and current.
     */
    private static void assertAnOpenWindowFollowsTheClosedOnesAndIsCurrent(ServedPipeline a, ServedPipeline b, TopologyConfig topology,
                                                                          SortedMap<MetricKey, BigDecimal> finals) throws Exception {
        produce(topology.topics().inputs().get(0), List.of("{\"type\":\"signup\",\"event_id\":\"s-late\",\"customer_id\":\"cust-new\","
                + "\"occurred_at\":\"2024-03-11T01:00:00Z\",\"plan\":\"pro\"}"), Instant.parse("2024-03-11T02:00:00Z"));
        List<BigDecimal> closed = new ArrayList<>();
        finals.forEach((k, v) -> {
            if (k.metric().equals("active_customers") && k.window().equals("P1D/P1D") && k.segment().equals("all")) {
                closed.add(v);
            }
        });
        Instant open = Instant.parse("2024-03-11T00:00:00Z");
        for (String path : List.of("/api/metrics/active_customers?window=" + enc("P1D/P1D") + "&segment=all",
                "/api/metrics/active_customers?window=" + enc("P1D/P1D") + "&segment=all&from=2024-02-28T00:00:00Z&to=2024-03-31T00:00:00Z")) {
            for (ServedPipeline p : List.of(a, b)) {
                JsonNode body = Eventually.await("the open window of March 11 in " + path, Duration.ofSeconds(60), () -> getJson(p, path, TOKEN),
                        r -> r.path("values").size() == closed.size() + 1);
                JsonNode values = body.get("values");
                List<BigDecimal> finalValues = new ArrayList<>();
                for (int i = 0; i < closed.size(); i++) {
                    assertTrue(values.get(i).get("final").asBoolean(), path + " " + values.get(i));
                    finalValues.add(values.get(i).get("value").decimalValue());
                }
                assertDecimalsEqual(closed, finalValues, path);
                JsonNode last = values.get(closed.size());
                assertEquals(open, Instant.parse(last.get("window_start").asText()), "the open window comes last: " + path);
                assertTrue(!last.get("final").asBoolean(), "an update of the open window: " + last);
                assertEquals(last, body.get("current"), "current is the open window's record: " + path);
            }
        }
    }

    /**
     * The triangle of a segment from either instance: served by the owner of the segment's cohort-stage task, every cell
     * final and exactly the reference model's cell (counts and revenue), no cell the reference does not have.
     */
    private static void assertCohortTrianglesAreTheReferenceCells(ServedPipeline a, ServedPipeline b,
                                                                  SortedMap<CohortKey, CohortCell> cells) throws Exception {
        for (String segment : List.of("all", "plan=pro", "country=DE", "channel=referral", "plan=free")) {
            Map<CohortKey, CohortCell> expected = new HashMap<>();
            cells.forEach((k, v) -> {
                if (k.segment().equals(segment)) {
                    expected.put(k, v);
                }
            });
            assertTrue(expected.size() >= 3, "the reference has cells for " + segment);
            String path = "/api/cohorts?period=" + COHORTS_PERIOD + "&segment=" + enc(segment);
            JsonNode fromA = Eventually.await("every cohort cell of " + segment + " final", Duration.ofSeconds(90),
                    () -> getJson(a, path, TOKEN), body -> cellCount(body) == expected.size() && allCellsFinal(body));
            JsonNode fromB = getJson(b, path, TOKEN);
            assertEquals(fromA, fromB, "same triangle from either instance for " + segment);
            KeyQueryMetadata owner = a.pipeline().streams().queryMetadataForKey(CohortTriangle.STORE, segment,
                    CohortTriangle.ownerPartitioner());
            assertEquals(owner.activeHost().host() + ":" + owner.activeHost().port(), fromA.get("served_by").asText());
            for (JsonNode row : fromA.get("cohorts")) {
                Instant start = Instant.parse(row.get("cohort_start").asText());
                for (JsonNode cell : row.get("cells")) {
                    CohortKey key = new CohortKey(COHORTS_PERIOD, segment, start, cell.get("period").asInt());
                    CohortCell want = expected.get(key);
                    assertTrue(want != null, "the reference has " + key);
                    CohortCell got = new CohortCell(cell.get("customers").asLong(), cell.get("retained").asLong(),
                            cell.get("active").asLong(), new BigDecimal(cell.get("revenue").asText()));
                    assertTrue(want.sameAs(got), key + ": expected " + want + " but was " + got);
                    assertEquals(0, want.retention().compareTo(cell.get("retention").decimalValue()), key + " retention");
                    assertEquals(want.customers(), row.get("customers").asLong(), key + " cohort size");
                }
            }
        }
    }

    /**
     * {@code churn_reason_share} has a record per reason: every reason's by window start, or one reason's; {@code current}
     * lists the current window's records. Values are the reference model's finals.
     */
    private static void assertChurnReasonSharesAreTheReferenceFinals(ServedPipeline a, ServedPipeline b,
                                                                     SortedMap<MetricKey, BigDecimal> finals) throws Exception {
        String path = "/api/metrics/churn_reason_share?window=P1D/P1D&segment=all&from=2024-02-28T00:00:00Z&to=2024-03-31T00:00:00Z";
        Map<String, BigDecimal> expected = new java.util.TreeMap<>();
        finals.forEach((k, v) -> {
            if (k.metric().equals("churn_reason_share") && k.window().equals("P1D/P1D") && k.segment().equals("all")) {
                expected.put(k.windowStart() + " " + k.reason(), v);
            }
        });
        assertEquals(java.util.Set.of("2024-03-03T00:00:00Z price", "2024-03-03T00:00:00Z support"), expected.keySet());
        JsonNode every = Eventually.await("every reason's finals", Duration.ofSeconds(60), () -> getJson(b, path, TOKEN),
                body -> body.path("values").size() == expected.size() && allFinal(body.path("values")));
        Map<String, BigDecimal> actual = new java.util.TreeMap<>();
        every.get("values").forEach(v -> actual.put(v.get("window_start").asText() + " " + v.get("reason").asText(),
                v.get("value").decimalValue()));
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertEquals(0, v.compareTo(actual.get(k)), k + ": expected " + v + " got " + actual.get(k)));
        assertEquals(2, every.get("current").size(), "the current window's records, one per reason: " + every.get("current"));

        JsonNode price = getJson(a, path + "&reason=price", TOKEN);
        assertEquals("price", price.get("reason").asText());
        assertEquals(1, price.get("values").size());
        assertEquals(0, new BigDecimal("66.6667").compareTo(price.get("values").get(0).get("value").decimalValue()), "2 of 3 for price");
        assertEquals(price.get("values"), price.get("current"));
    }

    private static int cellCount(JsonNode triangle) {
        int n = 0;
        for (JsonNode row : triangle.path("cohorts")) {
            n += row.path("cells").size();
        }
        return n;
    }

    private static boolean allCellsFinal(JsonNode triangle) {
        for (JsonNode row : triangle.path("cohorts")) {
            if (!allFinal(row.path("cells"))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFinal(JsonNode values) {
        for (JsonNode v : values) {
            if (!v.path("final").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    private static void assertDecimalsEqual(List<BigDecimal> expected, List<BigDecimal> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            BigDecimal e = expected.get(i);
            BigDecimal x = actual.get(i);
            assertTrue(e == null ? x == null : x != null && e.compareTo(x) == 0, what + " window " + i + ": expected " + e + " got " + x);
        }
    }

    private static String ownerOf(ServedPipeline p, String store, String key, boolean bySegment) {
        KeyQueryMetadata md = bySegment
                ? p.pipeline().streams().queryMetadataForKey(store, key, MetricHistory.partitioner())
                : p.pipeline().streams().queryMetadataForKey(store, key, new StringSerializer());
        return md.activeHost().host() + ":" + md.activeHost().port();
    }

    private static void assertError(ServedPipeline p, String path, String token, int status) throws Exception {
        HttpResponse<String> response = get(p, path, token, Map.of());
        assertEquals(status, response.statusCode(), path + " -> " + response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.get("error").asText().length() > 5, response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    private static JsonNode getJson(ServedPipeline p, String path, String token) throws Exception {
        HttpResponse<String> response = get(p, path, token, Map.of());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(ServedPipeline p, String path, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(p.url() + path)).timeout(Duration.ofSeconds(15));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Sends the lines keyed by customer, then a tick to every partition so every window closes. */
    static void produce(String topic, List<String> lines, Instant tick) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (String line : lines) {
                String customer = JSON.readTree(line).get("customer_id").asText();
                producer.send(new ProducerRecord<>(topic, customer, line.getBytes(StandardCharsets.UTF_8))).get();
            }
            for (int partition = 0; partition < 3; partition++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(InputEventDeserializer.CONTROL_HEADER, InputEventDeserializer.TICK.getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(topic, partition, tick.toEpochMilli(), null,
                        InputEventDeserializer.tickValue(tick.toEpochMilli()), headers)).get();
            }
        }
    }

    /** Rates carry ci_low <= value <= ci_high where their interval is defined (docs/METRICS.md section 10); other metrics none. */
    private static void assertIntervalsHoldTheirValues(String metric, JsonNode values) {
        boolean rate = List.of("churn_rate", "nps", "repeat_purchase_rate", "referral_share").contains(metric);
        int withInterval = 0;
        for (JsonNode v : values) {
            if (!v.has("ci_low")) {
                continue;
            }
            assertTrue(rate, metric + " is not a rate but has an interval: " + v);
            withInterval++;
            BigDecimal value = v.get("value").decimalValue();
            assertTrue(v.get("ci_low").decimalValue().compareTo(value) <= 0 && value.compareTo(v.get("ci_high").decimalValue()) <= 0,
                    "interval holds the value: " + v);
        }
        if (rate) {
            assertTrue(withInterval > 0, "some " + metric + " values have an interval: " + values);
        }
    }
}
