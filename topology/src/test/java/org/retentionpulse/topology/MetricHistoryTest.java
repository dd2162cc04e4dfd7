package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.topology.metrics.MetricHistory;
import org.retentionpulse.topology.metrics.MetricKey;
import org.retentionpulse.topology.serde.InputEventDeserializer;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * The metric-history stores (finals in metric-history, open windows' updates in metric-history-open) and the
 * source-timestamp header of metric updates, on TopologyTestDriver.
 */
class MetricHistoryTest {
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, MetricUpdate> updates;

    @BeforeEach
    void start() {
        TopologyConfig config = TopologyConfig.defaults().withStores(TopologyConfig.StoreKind.IN_MEMORY)
                .withTopics(TopologyConfig.Topics.defaults().withInputs(List.of("events")))
                .withWindows(List.of(WindowSpec.parse("P1D/P1D")), Duration.ofHours(6))
                .withUpdateInterval(Duration.ofSeconds(1))
                .withHistoryRetention(Duration.ofDays(2));
        Properties props = RetentionPulseTopology.requiredStreamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "history-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(RetentionPulseTopology.build(config), props, T0);
        input = driver.createInputTopic("events", new StringSerializer(), new ByteArraySerializer());
        updates = driver.createOutputTopic(config.topics().metricUpdates(), new StringDeserializer(), new MetricUpdateSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(String customer, String json, long recordTimestamp) {
        input.pipeInput(new TestRecord<>(customer, json.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), recordTimestamp));
    }

    private void tick(Instant at, long recordTimestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(InputEventDeserializer.CONTROL_HEADER, InputEventDeserializer.TICK.getBytes(StandardCharsets.UTF_8));
        input.pipeInput(new TestRecord<>(null, InputEventDeserializer.tickValue(at.toEpochMilli()), headers, recordTimestamp));
    }

    private static String signup(String id, String customer, String at, String plan) {
        return "{\"type\":\"signup\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\"" + at
                + "\",\"plan\":\"" + plan + "\"}";
    }

    private static String purchase(String id, String customer, String at) {
        return "{\"type\":\"purchase\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\"" + at
                + "\",\"order_id\":\"" + id + "\",\"amount\":\"10.00\",\"currency\":\"EUR\"}";
    }

    private Map<String, MetricUpdate> history() {
        return entries(MetricHistory.STORE);
    }

    private Map<String, MetricUpdate> open() {
        return entries(MetricHistory.OPEN_STORE);
    }

    private Map<String, MetricUpdate> entries(String storeName) {
        KeyValueStore<String, MetricUpdate> store = driver.getKeyValueStore(storeName);
        Map<String, MetricUpdate> out = new HashMap<>();
        try (KeyValueIterator<String, MetricUpdate> it = store.all()) {
            it.forEachRemaining(kv -> out.put(kv.key, kv.value));
        }
        return out;
    }

    @Test
    void coalescedUpdateCarriesTheEarliestInputTimestampSinceTheSegmentsLastUpdate() {
        send("ann", signup("e1", "ann", "2024-03-01T01:00:00Z", "pro"), 5_000);
        send("bob", signup("e2", "bob", "2024-03-01T02:00:00Z", "basic"), 7_000);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        Map<String, Long> first = sourceTimestampsBySegment(updates.readRecordsToList());
        assertEquals(5_000L, first.get("all"), "all saw both inputs: the earlier one counts");
        assertEquals(5_000L, first.get("plan=pro"));
        assertEquals(7_000L, first.get("plan=basic"));

        send("ann", purchase("e3", "ann", "2024-03-01T03:00:00Z"), 9_000);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        Map<String, Long> second = sourceTimestampsBySegment(updates.readRecordsToList());
        assertEquals(Map.of("all", 9_000L, "plan=pro", 9_000L, "country=unknown", 9_000L, "channel=unknown", 9_000L), second,
                "only segments the purchase changed are updated, each with the purchase's timestamp");
    }

    @Test
    void aNewWindowsFirstUpdateCoversQuietSegmentsWithoutASourceHeader() {
        send("ann", signup("e1", "ann", "2024-03-01T01:00:00Z", "pro"), 5_000);
        send("bob", signup("e2", "bob", "2024-03-01T02:00:00Z", "basic"), 6_000);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        updates.readRecordsToList();
        send("ann", purchase("e3", "ann", "2024-03-02T03:00:00Z"), 9_000);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        Map<String, Long> newWindow = new HashMap<>();
        for (TestRecord<String, MetricUpdate> r : updates.readRecordsToList()) {
            if (r.value().getWindowStart().equals(Instant.parse("2024-03-02T00:00:00Z"))) {
                newWindow.put(r.value().getSegment(), OutputHeaders.sourceTimestamp(r.headers()));
            }
        }
        assertEquals(9_000L, newWindow.get("plan=pro"));
        assertEquals(-1L, newWindow.get("plan=basic"), "bob's segment is quiet: in the new window, but publishes no input");

        send("ann", purchase("e4", "ann", "2024-03-02T04:00:00Z"), 10_000);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(updates.readRecordsToList().stream().noneMatch(r -> r.value().getSegment().equals("plan=basic")),
                "after its first update, a window is updated for changed segments only");
    }

    @Test
    void finalWithNothingPendingCarriesTheTimestampOfTheInputThatClosedTheWindow() {
        send("ann", signup("e1", "ann", "2024-03-01T01:00:00Z", "pro"), 5_000);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        updates.readRecordsToList();
        tick(Instant.parse("2024-03-02T07:00:00Z"), 11_000);
        List<TestRecord<String, MetricUpdate>> finals = updates.readRecordsToList();
        assertFalse(finals.isEmpty());
        for (TestRecord<String, MetricUpdate> r : finals) {
            assertTrue(r.value().getFinal$());
            assertEquals(11_000L, OutputHeaders.sourceTimestamp(r.headers()), r.key());
        }
    }

    @Test
    void historyHoldsTheLatestUpdateOfEveryEmittedKeyAndIsPrunedAfterTheRetention() {
        send("ann", signup("e1", "ann", "2024-03-01T01:00:00Z", "pro"), 1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        send("bob", signup("e2", "bob", "2024-03-02T01:00:00Z", "pro"), 2);
        send("ann", purchase("e3", "ann", "2024-03-02T03:00:00Z"), 3);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        tick(Instant.parse("2024-03-03T07:00:00Z"), 4);

        Map<String, MetricUpdate> latest = new HashMap<>();
        for (TestRecord<String, MetricUpdate> r : updates.readRecordsToList()) {
            latest.put(MetricHistory.key(r.value()), r.value());
            assertEquals(MetricKey.of(r.value()), r.key());
        }
        Map<String, MetricUpdate> history = history();
        assertEquals(latest, history);
        String pro = MetricHistory.key("active_customers", "P1D/P1D", "plan=pro", Instant.parse("2024-03-02T00:00:00Z").toEpochMilli());
        assertTrue(history.get(pro).getFinal$());
        assertEquals(0, history.get(pro).getValue().compareTo(java.math.BigDecimal.valueOf(2)));

        // Windows that ended more than 2 days (the retention) before the closed watermark minus grace go.
        tick(Instant.parse("2024-03-04T07:00:00Z"), 5);
        List<String> starts = new ArrayList<>();
        history().values().forEach(u -> starts.add(u.getWindowStart().toString()));
        assertFalse(starts.contains("2024-03-01T00:00:00Z"), "the window of March 1 ended Mar 2, closed Mar 2 06:00, more than 2 days before Mar 4 07:00");
        assertTrue(starts.contains("2024-03-02T00:00:00Z"));
    }

    @Test
    void anUpdatePublishesOnlyTheMetricsWhoseComponentsChangedAndHistoryKeepsTheCurrentValueOfTheOthers() {
        send("ann", signup("e1", "ann", "2024-03-01T01:00:00Z", "pro"), 1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        // 14 metrics (sections 4 and 8; churn_reason_share has no record without churn) in 4 segments
        assertEquals(14 * 4, updates.readRecordsToList().size(), "a window's first update: every metric of every segment");

        send("ann", purchase("e2", "ann", "2024-03-01T03:00:00Z"), 2);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        java.util.Set<String> changed = new java.util.TreeSet<>();
        updates.readRecordsToList().forEach(r -> changed.add(r.value().getMetric()));
        assertEquals(java.util.Set.of("repeat_purchase_rate", "revenue", "aov", "purchase_frequency", "clv"), changed,
                "a purchase changes P1/P2, O and R only: lifecycle, survey and referral metrics are not re-sent");

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(updates.readRecordsToList().isEmpty(), "nothing changed: no update");
        String active = MetricHistory.key("active_customers", "P1D/P1D", "all", Instant.parse("2024-03-01T00:00:00Z").toEpochMilli());
        assertEquals(0, open().get(active).getValue().compareTo(java.math.BigDecimal.ONE), "the unchanged metric's value is still there");

        tick(Instant.parse("2024-03-02T07:00:00Z"), 3);
        List<TestRecord<String, MetricUpdate>> finals = updates.readRecordsToList();
        assertEquals(14 * 4, finals.size(), "the close publishes every metric once, changed or not");
        assertTrue(finals.stream().allMatch(r -> r.value().getFinal$()));
    }

    @Test
    void churnReasonShareIsInTheHistoryOneEntryPerReasonAndLeavesWithItsWindow() {
        send("ann", signup("e1", "ann", "2024-03-01T01:00:00Z", "pro"), 1);
        send("bob", signup("e2", "bob", "2024-03-01T02:00:00Z", "pro"), 2);
        send("cat", signup("e3", "cat", "2024-03-01T03:00:00Z", "pro"), 3);
        send("ann", cancellation("e4", "ann", "2024-03-02T01:00:00Z", "Price"), 4);
        send("bob", cancellation("e5", "bob", "2024-03-02T02:00:00Z", "price"), 5);
        send("cat", cancellation("e6", "cat", "2024-03-02T03:00:00Z", null), 6);
        tick(Instant.parse("2024-03-03T07:00:00Z"), 7);

        long march2 = Instant.parse("2024-03-02T00:00:00Z").toEpochMilli();
        Map<String, MetricUpdate> history = history();
        MetricUpdate price = history.get(MetricHistory.key("churn_reason_share", "P1D/P1D", "all", march2, "price"));
        MetricUpdate unspecified = history.get(MetricHistory.key("churn_reason_share", "P1D/P1D", "all", march2, "unspecified"));
        assertEquals(0, price.getValue().compareTo(new java.math.BigDecimal("66.6667")), "2 of 3 churned for price: " + price);
        assertEquals(0, unspecified.getValue().compareTo(new java.math.BigDecimal("33.3333")));
        assertTrue(price.getFinal$() && unspecified.getFinal$());
        assertEquals(java.util.Set.of("price", "unspecified"), reasonsIn(history, march2));
        // The window's reasons sort after its start, before the next window: one range per window span.
        String first = MetricHistory.key("churn_reason_share", "P1D/P1D", "all", march2);
        String last = MetricHistory.lastKey("churn_reason_share", "P1D/P1D", "all", march2);
        history.keySet().stream().filter(k -> k.startsWith("churn_reason_share|P1D/P1D|all|"))
                .forEach(k -> assertTrue(k.compareTo(first) > 0 && k.compareTo(last) < 0, k + " in the range of March 2"));

        // Retention 2 days: the window of March 2 closed Mar 3 06:00; at Mar 5 07:00 it and its reasons are gone.
        tick(Instant.parse("2024-03-05T07:00:00Z"), 8);
        assertEquals(java.util.Set.of(), reasonsIn(history(), march2));
    }

    @Test
    void aReasonWhoseCancellationBecameIneffectiveLeavesTheHistory() {
        send("ann", signup("e1", "ann", "2024-03-01T01:00:00Z", "pro"), 1);
        send("ann", cancellation("e2", "ann", "2024-03-02T10:00:00Z", "price"), 2);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        long march2 = Instant.parse("2024-03-02T00:00:00Z").toEpochMilli();
        assertEquals(java.util.Set.of("price"), reasonsIn(open(), march2));

        // An earlier cancellation arrives: it ends ann, the one at 10:00 is a cancellation of a cancelled customer.
        send("ann", cancellation("e3", "ann", "2024-03-02T09:00:00Z", "support"), 3);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(java.util.Set.of("support"), reasonsIn(open(), march2), "the update forgot price");
        tick(Instant.parse("2024-03-03T07:00:00Z"), 4);
        Map<String, MetricUpdate> history = history();
        assertEquals(java.util.Set.of("support"), reasonsIn(history, march2));
        assertTrue(history.get(MetricHistory.key("churn_reason_share", "P1D/P1D", "all", march2, "support")).getFinal$());
        assertEquals(java.util.Set.of(), reasonsIn(open(), march2), "the final moved the window out of the open store");
    }

    @Test
    void openWindowsUpdatesAreInTheOpenStoreAndFinalsInTheHistoryOnly() {
        send("ann", signup("e1", "ann", "2024-03-01T01:00:00Z", "pro"), 1);
        send("bob", signup("e2", "bob", "2024-03-02T01:00:00Z", "pro"), 2);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        Map<String, MetricUpdate> latest = new HashMap<>();
        updates.readRecordsToList().forEach(r -> latest.put(MetricHistory.key(r.value()), r.value()));
        assertFalse(latest.isEmpty());
        assertEquals(latest, open(), "every update of an open window, its latest record, in the open store");
        assertEquals(Map.of(), history(), "no final yet: nothing in metric-history");

        // Closes March 1 (Mar 2 06:00) but not March 2.
        tick(Instant.parse("2024-03-02T07:00:00Z"), 3);
        Map<String, MetricUpdate> finals = new HashMap<>();
        updates.readRecordsToList().forEach(r -> finals.put(MetricHistory.key(r.value()), r.value()));
        assertTrue(finals.values().stream().allMatch(MetricUpdate::getFinal$));
        assertEquals(finals, history(), "the finals of March 1, in metric-history");
        Map<String, MetricUpdate> open = open();
        assertTrue(open.keySet().stream().noneMatch(finals::containsKey), "a final's key leaves the open store");
        assertTrue(open.values().stream().allMatch(u -> u.getWindowStart().equals(Instant.parse("2024-03-02T00:00:00Z"))),
                "only March 2 is open: " + open.keySet());
        latest.keySet().removeAll(finals.keySet());
        assertEquals(latest, open);
    }

    @Test
    void aClosedWindowKeepsNoOpenEntryEvenWithoutAFinal() {
        send("ann", signup("e1", "ann", "2024-03-01T01:00:00Z", "basic"), 1);
        send("bob", signup("e2", "bob", "2024-03-02T01:00:00Z", "pro"), 2);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        // plan=pro has nobody on March 1, so no final there; an update it had (here put by hand: e.g. for events a
        // customer task later retracted) must not outlive the window.
        long march1 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
        String stray = MetricHistory.key("nps", "P1D/P1D", "plan=pro", march1);
        MetricUpdate anyUpdate = open().values().iterator().next();
        driver.<String, MetricUpdate>getKeyValueStore(MetricHistory.OPEN_STORE).put(stray, anyUpdate);

        tick(Instant.parse("2024-03-02T07:00:00Z"), 3);
        Map<String, MetricUpdate> open = open();
        assertFalse(open.containsKey(stray));
        assertTrue(open.values().stream().noneMatch(u -> u.getWindowStart().toEpochMilli() == march1),
                "nothing of the closed March 1 stays open");
        assertFalse(open.isEmpty(), "March 2 is still open");
        assertTrue(history().values().stream().anyMatch(u -> u.getWindowStart().toEpochMilli() == march1 && u.getFinal$()));
    }

    private static java.util.Set<String> reasonsIn(Map<String, MetricUpdate> history, long windowStart) {
        java.util.Set<String> reasons = new java.util.TreeSet<>();
        history.values().stream().filter(u -> u.getMetric().equals("churn_reason_share") && u.getSegment().equals("all")
                && u.getWindowStart().toEpochMilli() == windowStart).forEach(u -> reasons.add(u.getReason()));
        return reasons;
    }

    private static String cancellation(String id, String customer, String at, String reason) {
        return "{\"type\":\"cancellation\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\""
                + at + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
    }

    @Test
    void historyKeysSortByWindowStartWithinASeriesAndNameTheirSegmentsPartition() {
        List<Long> starts = List.of(-86_400_000L, 0L, 86_400_000L, 1_700_000_000_000L);
        List<String> keys = starts.stream().map(s -> MetricHistory.key("nps", "P1D/P1D", "plan=a|b", s)).toList();
        assertEquals(keys, keys.stream().sorted().toList());
        assertEquals("plan=a|b", MetricHistory.segmentOf(keys.get(0)));
        assertEquals(Math.floorMod("plan=a|b".hashCode(), 3),
                MetricHistory.partitioner().partitions("t", keys.get(0), null, 3).orElseThrow().iterator().next());
    }

    private static Map<String, Long> sourceTimestampsBySegment(List<TestRecord<String, MetricUpdate>> records) {
        Map<String, Long> out = new HashMap<>();
        for (TestRecord<String, MetricUpdate> r : records) {
            long ts = OutputHeaders.sourceTimestamp(r.headers());
            Long previous = out.put(r.value().getSegment(), ts);
            if (previous != null) {
                assertEquals(previous, ts, "all records of one segment in one update carry the same source");
            }
        }
        return out;
    }

}
