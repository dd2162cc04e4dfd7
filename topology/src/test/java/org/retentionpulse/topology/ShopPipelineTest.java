package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.retentionpulse.reference.FinalValue;
import org.retentionpulse.reference.FinalValueComparison;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.CohortSpec;
import org.retentionpulse.reference.CohortCell;
import org.retentionpulse.reference.CohortKey;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The contract's shop example ({@code docs/examples/shop.jsonl}, settings of the examples' README) and lapses
 * (section 7) through the whole topology on a TopologyTestDriver.
 */
class ShopPipelineTest {
    static final Duration INACTIVITY = Duration.ofDays(10);

    static TopologyConfig shopConfig() {
        return PipelineDriver.config("P1D/P1D", "P7D/P1D")
                .withChurn(new ChurnPolicy(ChurnPolicy.Inactivity.after(INACTIVITY), ChurnPolicy.DEFAULT_REASONS_CAP))
                .withCohorts(new CohortSpec(CohortSpec.Period.P1W, 4));
    }

    @Test
    void everyCohortCellCarriesTheWilsonIntervalsOfItsRetentionAndActiveShare() throws IOException {
        try (PipelineDriver pipeline = new PipelineDriver(shopConfig())) {
            pipeline.sendAll(Files.readAllLines(RetentionPulseTopologyTest.resource("shop.jsonl")));
            pipeline.closeAllWindows();
            List<org.retentionpulse.schemas.CohortCell> cells = pipeline.cohortCells();
            assertTrue(cells.size() >= 47, "cells: " + cells.size());
            for (org.retentionpulse.schemas.CohortCell c : cells) {
                assertWilson(c.getRetained(), c.getCustomers(), c.getRetentionCiLow(), c.getRetentionCiHigh(), c + " retention");
                assertWilson(c.getActive(), c.getCustomers(), c.getActiveShareCiLow(), c.getActiveShareCiHigh(), c + " active_share");
                assertTrue(c.getRetentionCiLow().compareTo(c.getRetention()) <= 0 && c.getRetention().compareTo(c.getRetentionCiHigh()) <= 0);
            }
        }
    }

    /** Docs/METRICS.md section 10, computed here independently: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n). */
    private static void assertWilson(long x, long n, java.math.BigDecimal low, java.math.BigDecimal high, String what) {
        double z = 1.959963984540054;
        double p = (double) x / n;
        double centre = p + z * z / (2.0 * n);
        double spread = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        double scale = 1 + z * z / n;
        assertEquals(100 * (centre - spread) / scale, low.doubleValue(), 0.00006, what + " low");
        assertEquals(100 * (centre + spread) / scale, high.doubleValue(), 0.00006, what + " high");
    }

    @Test
    void shopExampleGivesExactlyTheExpectedCohortCells() throws IOException {
        List<String> lines = Files.readAllLines(RetentionPulseTopologyTest.resource("shop.jsonl"));
        SortedMap<CohortKey, CohortCell> expected =
                ReferenceModel.readExpectedCohorts(RetentionPulseTopologyTest.resource("shop.cohorts.expected.jsonl"));
        try (PipelineDriver pipeline = new PipelineDriver(shopConfig())) {
            pipeline.sendAll(lines);
            pipeline.closeAllWindows();
            SortedMap<CohortKey, CohortCell> finals = new TreeMap<>();
            for (org.retentionpulse.schemas.CohortCell c : pipeline.cohortCells()) {
                if (c.getFinal$()) {
                    CohortKey key = new CohortKey(c.getCohortPeriod(), c.getSegment(), c.getCohortStart(), c.getPeriod());
                    assertNull(finals.put(key, new CohortCell(c.getCustomers(), c.getRetained(), c.getActive(), c.getRevenue())),
                            () -> "two finals for " + key);
                }
            }
            List<String> differences = new ArrayList<>();
            TreeSet<CohortKey> keys = new TreeSet<>(expected.keySet());
            keys.addAll(finals.keySet());
            for (CohortKey key : keys) {
                CohortCell want = expected.get(key);
                CohortCell got = finals.get(key);
                if (want == null || got == null || !want.sameAs(got)) {
                    differences.add(key + ": expected " + want + " but was " + got);
                }
            }
            assertEquals(47, finals.size());
            assertTrue(differences.isEmpty(), () -> differences.size() + " differences:\n" + String.join("\n", differences));
        }
    }

    @Test
    void shopExampleGivesExactlyTheExpectedFinalsOfSectionsFourAndEight() throws IOException {
        List<String> lines = Files.readAllLines(RetentionPulseTopologyTest.resource("shop.jsonl"));
        SortedMap<MetricKey, BigDecimal> expected =
                FinalValue.toSortedMap(ReferenceModel.readExpected(RetentionPulseTopologyTest.resource("shop.expected.jsonl")));
        try (PipelineDriver pipeline = new PipelineDriver(shopConfig())) {
            pipeline.sendAll(lines);
            pipeline.closeAllWindows();
            SortedMap<MetricKey, BigDecimal> finals = pipeline.finals();
            assertEquals(7850, finals.size());
            List<String> differences = FinalValueComparison.differences(expected, finals);
            assertTrue(differences.isEmpty(), () -> differences.size() + " differences:\n" + String.join("\n", differences));
            // ann lapses at 01-12 10:00 and buys at that instant; gus lapses at 01-13 00:00 before his cancellation
            assertEquals(0, new BigDecimal("14.2857").compareTo(finals.get(daily("churn_rate", "2024-01-12"))));
            assertEquals(0, new BigDecimal("28.5714").compareTo(finals.get(daily("churn_rate", "2024-01-13"))));
            assertEquals(0, BigDecimal.valueOf(5).compareTo(finals.get(daily("active_customers", "2024-01-13"))));
            // cat's win-back from a pool of 1; fay's from a pool of 4; ann answered twice on 01-02 (S + N = 2)
            assertEquals(0, BigDecimal.valueOf(100).compareTo(finals.get(daily("reactivation_rate", "2024-01-06"))));
            assertEquals(0, BigDecimal.valueOf(25).compareTo(finals.get(daily("reactivation_rate", "2024-01-20"))));
            assertEquals(0, BigDecimal.valueOf(50).compareTo(finals.get(daily("survey_response_rate", "2024-01-02"))));
            assertEquals(0, BigDecimal.valueOf(100).compareTo(finals.get(new MetricKey("churn_reason_share", "P1D/P1D", "all",
                    Instant.parse("2024-01-05T00:00:00Z"), "too expensive"))));
        }
    }

    @Test
    void aLapsePublishesOneChurnedAlertWhenStreamTimeReachesIt() {
        try (PipelineDriver pipeline = new PipelineDriver(shopConfig())) {
            pipeline.send(purchase("p1", "bea", "2024-01-01T10:00:00Z"));
            pipeline.send(purchase("p2", "bea", "2024-01-03T10:00:00Z"));
            pipeline.tick(Instant.parse("2024-01-13T09:59:59Z"));
            assertEquals(List.of(), churned(pipeline.alerts()), "not before the lapse at 01-13 10:00");
            pipeline.tick(Instant.parse("2024-01-13T10:00:00Z"));
            List<ChurnRiskAlert> churned = churned(pipeline.alerts());
            assertEquals(1, churned.size());
            ChurnRiskAlert alert = churned.get(0);
            assertEquals(Instant.parse("2024-01-13T10:00:00Z"), alert.getTriggeredAt());
            assertEquals(List.of(RiskSignal.CHURNED), alert.getReasons().stream().map(r -> r.getSignal()).toList());
            assertEquals(10.0, alert.getReasons().get(0).getEvidence().get("days_since_last_activity"));
            assertTrue(alert.getReasons().get(0).getExplanation().startsWith("Lapsed: no purchase or signup for 10.0 days"),
                    alert.getReasons().get(0).getExplanation());
            pipeline.tick(Instant.parse("2024-03-01T00:00:00Z"));
            assertEquals(List.of(), churned(pipeline.alerts()), "one CHURNED per lapse");
        }
    }

    @Test
    void aLaterActivityRetractsTheLapseAndItsAlert() {
        try (PipelineDriver pipeline = new PipelineDriver(shopConfig())) {
            pipeline.send(purchase("p1", "bea", "2024-01-01T10:00:00Z"));
            pipeline.send(purchase("p2", "bea", "2024-01-09T10:00:00Z"));
            pipeline.tick(Instant.parse("2024-01-15T00:00:00Z"));
            assertEquals(List.of(), churned(pipeline.alerts()), "the lapse moved to 01-19 10:00");
            pipeline.tick(Instant.parse("2024-01-19T10:00:00Z"));
            List<ChurnRiskAlert> churned = churned(pipeline.alerts());
            assertEquals(1, churned.size());
            assertEquals(Instant.parse("2024-01-19T10:00:00Z"), churned.get(0).getTriggeredAt());
        }
    }

    @Test
    void anActivityAtExactlyTheLapseComesAfterIt() {
        try (PipelineDriver pipeline = new PipelineDriver(shopConfig())) {
            pipeline.send(purchase("p1", "bea", "2024-01-01T10:00:00Z"));
            pipeline.send(purchase("p2", "bea", "2024-01-11T10:00:00Z"));
            List<ChurnRiskAlert> churned = churned(pipeline.alerts());
            assertEquals(1, churned.size(), "the lapse at 01-11 10:00 happens before the purchase at that instant");
            pipeline.closeAllWindows();
            SortedMap<MetricKey, BigDecimal> finals = pipeline.finals();
            assertEquals(0, BigDecimal.valueOf(100).compareTo(finals.get(daily("churn_rate", "2024-01-11"))));
            assertEquals(0, BigDecimal.ONE.compareTo(finals.get(daily("active_customers", "2024-01-11"))));
        }
    }

    private static List<ChurnRiskAlert> churned(List<TestRecord<String, ChurnRiskAlert>> alerts) {
        return alerts.stream().map(TestRecord::value).filter(a -> a.getLevel() == RiskLevel.CHURNED).toList();
    }

    private static MetricKey daily(String metric, String day) {
        return new MetricKey(metric, "P1D/P1D", "all", Instant.parse(day + "T00:00:00Z"));
    }

    static String purchase(String id, String customer, String at) {
        return "{\"type\":\"purchase\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\"" + at
                + "\",\"order_id\":\"o-" + id + "\",\"amount\":\"10.00\",\"currency\":\"EUR\"}";
    }
}
