package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.retentionpulse.reference.FinalValue;
import org.retentionpulse.reference.FinalValueComparison;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.reference.ReferenceRules;
import org.retentionpulse.reference.WindowSpecRef;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.errors.DeadLetterHandler;

/** The whole topology on a TopologyTestDriver against the spec's worked example and hand-made streams. */
class RetentionPulseTopologyTest {

    static Path resource(String name) {
        try {
            return Path.of(RetentionPulseTopologyTest.class.getResource("/reference/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The contract's edges file holds the twelve section-4 metrics of the segments section 4 publishes; section 8 adds
     * its metrics and the segments that have only a win-back pool (bob's first segment on 03-03). The pipeline gives
     * exactly the file's records, and everything else exactly as the reference model with section 8.
     */
    @Test
    void edgesExampleProducesExactlyTheExpectedFinals() throws IOException {
        SortedMap<MetricKey, BigDecimal> expected = FinalValue.toSortedMap(ReferenceModel.readExpected(resource("edges.expected.jsonl")));
        List<String> lines = Files.readAllLines(resource("edges.jsonl"));
        List<WindowSpecRef> windows = WindowSpecRef.parseAll("P1D/P1D,P2D/P1D");
        ReferenceModel sectionFour = new ReferenceModel(windows);
        ReferenceModel sectionEight = new ReferenceModel(windows, ReferenceModel.DEFAULT_GRACE, "EUR",
                ReferenceModel.DEFAULT_DIMENSIONS, new ReferenceRules(null, ChurnPolicy.DEFAULT_REASONS_CAP, true, null, 12));
        lines.forEach(sectionFour::accept);
        lines.forEach(sectionEight::accept);
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D", "P2D/P1D"))) {
            pipeline.sendAll(lines);
            pipeline.closeAllWindows();
            SortedMap<MetricKey, BigDecimal> all = pipeline.finals();
            List<String> withSectionEight = FinalValueComparison.differences(sectionEight.finals(), all);
            assertTrue(withSectionEight.isEmpty(), () -> withSectionEight.size() + " differences:\n" + String.join("\n", withSectionEight));

            SortedMap<MetricKey, BigDecimal> sectionFourRecords = pipeline.sectionFourFinals();
            sectionFourRecords.keySet().retainAll(sectionFour.finals().keySet());
            assertEquals(expected.size(), sectionFourRecords.size());
            List<String> differences = FinalValueComparison.differences(expected, sectionFourRecords);
            assertTrue(differences.isEmpty(), () -> differences.size() + " differences:\n" + String.join("\n", differences));
            assertTrue(all.keySet().stream().anyMatch(k -> k.segment().equals("plan=basic") && k.metric().equals("reactivation_rate")
                    && k.windowStart().equals(Instant.parse("2024-03-03T00:00:00Z"))), "bob's pool segment on 03-03");
        }
    }

    @Test
    void invalidRecordsGoToTheDeadLetterTopicUnchangedWithTheirReason() throws IOException {
        List<String> lines = Files.readAllLines(resource("edges.jsonl"));
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.sendAll(lines);
            List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters();
            List<String> reasons = dead.stream()
                    .map(r -> new String(r.headers().lastHeader(DeadLetterHandler.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .collect(Collectors.toList());
            assertEquals(List.of("score_out_of_range", "amount_scale", "currency_mismatch", "not_json"), reasons);
            assertEquals("this line is not JSON", new String(dead.get(3).value(), StandardCharsets.UTF_8));
            assertEquals(lines.get(13), new String(dead.get(0).value(), StandardCharsets.UTF_8));
            assertEquals("events", new String(dead.get(0).headers().lastHeader(DeadLetterHandler.TOPIC_HEADER).value(), StandardCharsets.UTF_8));
            assertEquals("13", new String(dead.get(0).headers().lastHeader(DeadLetterHandler.OFFSET_HEADER).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void eventBeyondGraceGoesToTheLateTopicAndStillEndsTheActivePeriod() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(signup("s1", "ann", "2024-03-01T10:00:00Z"));
            pipeline.send(purchase("p1", "bob", "2024-03-03T10:00:00Z"));
            // 2024-03-01's window closed at 03-02T06:00; the cancellation is late but ann is no longer active after it
            pipeline.send("{\"type\":\"cancellation\",\"event_id\":\"c1\",\"customer_id\":\"ann\",\"occurred_at\":\"2024-03-01T12:00:00Z\"}");
            pipeline.send(purchase("p2", "bob", "2024-03-04T10:00:00Z"));
            pipeline.closeAllWindows();
            assertEquals(1, pipeline.lateEvents().size());
            SortedMap<MetricKey, BigDecimal> finals = pipeline.finals();
            assertEquals(0, BigDecimal.ONE.compareTo(finals.get(key("active_customers", "P1D/P1D", "all", "2024-03-01T00:00:00Z"))),
                    "the closed window keeps what it had when it closed");
            assertEquals(0, BigDecimal.ZERO.compareTo(finals.get(key("active_customers", "P1D/P1D", "all", "2024-03-04T00:00:00Z"))));
        }
    }

    @Test
    void openWindowsPublishCoalescedUpdatesOnTheUpdateInterval() {
        TopologyConfig config = PipelineDriver.config("P1D/P1D").withUpdateInterval(Duration.ofSeconds(1));
        try (PipelineDriver pipeline = new PipelineDriver(config)) {
            pipeline.send(signup("s1", "ann", "2024-03-01T10:00:00Z"));
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            pipeline.send(purchase("p2", "ann", "2024-03-01T12:00:00Z"));
            assertTrue(pipeline.updates().isEmpty(), "nothing before the update interval elapses");
            pipeline.advanceWallClock(Duration.ofSeconds(1));
            List<MetricUpdate> updates = pipeline.updates();
            List<MetricUpdate> revenue = updates.stream()
                    .filter(u -> u.getMetric().equals("revenue") && u.getSegment().equals("all")).toList();
            assertEquals(1, revenue.size(), "one coalesced update per key");
            assertEquals(0, new BigDecimal("20.00").compareTo(revenue.get(0).getValue()));
            assertTrue(updates.stream().noneMatch(MetricUpdate::getFinal$));
        }
    }

    @Test
    void duplicateEventIdCountsOnce() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            pipeline.closeAllWindows();
            SortedMap<MetricKey, BigDecimal> finals = pipeline.finals();
            assertEquals(0, new BigDecimal("10.00").compareTo(finals.get(key("revenue", "P1D/P1D", "all", "2024-03-01T00:00:00Z"))));
            assertNull(finals.get(key("churn_rate", "P1D/P1D", "all", "2024-03-01T00:00:00Z")));
        }
    }

    @Test
    void ignoredCancellationCountsInTheSegmentOfASignupAtTheSameInstantThatArrivedAfterIt() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            // ann is not active, so the cancellation is ignored; her signup at that very instant is at or before it
            pipeline.send("{\"type\":\"cancellation\",\"event_id\":\"c1\",\"customer_id\":\"ann\",\"occurred_at\":\"2024-03-01T10:00:00Z\"}");
            pipeline.send(signup("s1", "ann", "2024-03-01T10:00:00Z"));
            pipeline.closeAllWindows();
            SortedMap<MetricKey, BigDecimal> finals = pipeline.finals();
            assertEquals(0, BigDecimal.ONE.compareTo(finals.get(key("active_customers", "P1D/P1D", "plan=pro", "2024-03-01T00:00:00Z"))));
            List<String> unknown = finals.keySet().stream().map(MetricKey::segment).filter(s -> s.endsWith("=unknown")).distinct().toList();
            assertEquals(List.of(), unknown, "no segment had an event of a customer without dimensions");
        }
    }

    static MetricKey key(String metric, String window, String segment, String start) {
        return new MetricKey(metric, window, segment, Instant.parse(start));
    }

    static String signup(String id, String customer, String at) {
        return "{\"type\":\"signup\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\"" + at
                + "\",\"plan\":\"pro\",\"country\":\"DE\",\"channel\":\"organic\"}";
    }

    static String purchase(String id, String customer, String at) {
        return "{\"type\":\"purchase\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\"" + at
                + "\",\"order_id\":\"o-" + id + "\",\"amount\":\"10.00\",\"currency\":\"EUR\"}";
    }
}
