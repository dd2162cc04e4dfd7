package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.retentionpulse.reference.CohortCell;
import org.retentionpulse.reference.CohortKey;
import org.retentionpulse.reference.CohortPeriodRef;
import org.retentionpulse.reference.FinalValueComparison;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.reference.ReferenceRules;
import org.retentionpulse.topology.model.CdnowData;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.CohortSpec;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * The CDNOW purchase histories (23,570 customers, 69,659 purchases, 1997-01 to 1998-06; {@code src/test/resources/cdnow})
 * as purchase events, in event-time order, through the whole topology with {@code churn.inactivity=P90D} and monthly
 * cohorts: every final value with its counts and every final cohort cell equals the reference model's.
 */
class CdnowReplayTest {
    private static final List<String> WINDOWS = List.of("P30D/P1D");
    private static final Duration INACTIVITY = Duration.ofDays(90);
    private static final CohortSpec COHORTS = new CohortSpec(CohortSpec.Period.P1M, 12);

    @Test
    void cdnowWithInactivityChurnGivesExactlyTheReferenceFinalsAndCohortCells() {
        List<String> lines = purchases();
        assertEquals(69_659, lines.size());
        ReferenceModel reference = new ReferenceModel(MetricsPropertyTest.refs(WINDOWS), TopologyConfig.DEFAULT_GRACE, "EUR",
                ReferenceModel.DEFAULT_DIMENSIONS, new ReferenceRules(INACTIVITY, ChurnPolicy.DEFAULT_REASONS_CAP, true,
                CohortPeriodRef.parse(COHORTS.period().name()), COHORTS.periods()));
        lines.forEach(reference::accept);
        SortedMap<MetricKey, BigDecimal> expected = reference.finals();
        SortedMap<CohortKey, CohortCell> expectedCells = reference.cohortCells();

        TopologyConfig config = PipelineDriver.config(WINDOWS.toArray(String[]::new))
                .withWindows(WINDOWS.stream().map(WindowSpec::parse).toList(), TopologyConfig.DEFAULT_GRACE)
                .withCohorts(COHORTS)
                .withChurn(new ChurnPolicy(ChurnPolicy.Inactivity.after(INACTIVITY), ChurnPolicy.DEFAULT_REASONS_CAP));
        List<String> differences = new ArrayList<>();
        try (PipelineDriver pipeline = new PipelineDriver(config)) {
            pipeline.sendAll(lines);
            assertEquals(0, pipeline.deadLetters().size());
            assertEquals(0, pipeline.lateEvents().size());
            pipeline.closeAllWindows();
            SortedMap<MetricKey, BigDecimal> finals = pipeline.finals();
            differences.addAll(FinalValueComparison.differences(expected, finals));
            differences.addAll(MetricsPropertyTest.componentDifferences(reference.finalCounts(), pipeline.updates()));
            differences.addAll(MetricsPropertyTest.recordsAfterTheFinal(pipeline.updates()));
            differences.addAll(MetricsPropertyTest.cohortDifferences(expectedCells, pipeline.cohortCells()));
            assertTrue(differences.isEmpty(), () -> differences.size() + " differences, first:\n"
                    + String.join("\n", differences.subList(0, Math.min(20, differences.size()))));

            // Not an empty agreement: the comparison covered lapses, win-backs and the cohorts the data has.
            assertTrue(finals.size() > 10_000, "finals: " + finals.size());
            assertTrue(finals.keySet().stream().anyMatch(k -> "inactivity".equals(k.reason())), "lapses churned customers");
            assertTrue(finals.entrySet().stream().anyMatch(e -> e.getKey().metric().equals("reactivation_rate")
                    && e.getValue() != null && e.getValue().signum() > 0), "lapsed customers were won back");
        }
        // Every CDNOW customer first bought in January to March 1997: three monthly cohorts of segment all, whose sizes
        // are counted here from the data, each with its cells k = 0..12.
        Map<Instant, Long> sizes = cohortSizes();
        assertEquals(3, sizes.size());
        sizes.forEach((start, size) -> {
            for (int k = 0; k <= COHORTS.periods(); k++) {
                CohortCell cell = expectedCells.get(new CohortKey("P1M", "all", start, k));
                assertEquals(size, cell.customers(), "cohort " + start + " k = " + k);
            }
        });
    }

    /** One purchase event per CDNOW transaction at 00:00 UTC of its day, in event-time order (then by customer). */
    private static List<String> purchases() {
        record Purchase(long at, int customer, int n, long cents) {
        }
        List<Purchase> purchases = new ArrayList<>();
        CdnowData.master().forEach((id, t) -> {
            for (int i = 0; i < t.times().length; i++) {
                purchases.add(new Purchase(t.times()[i], id, i, t.cents()[i]));
            }
        });
        purchases.sort(Comparator.comparingLong(Purchase::at).thenComparingInt(Purchase::customer).thenComparingInt(Purchase::n));
        List<String> lines = new ArrayList<>(purchases.size());
        for (Purchase p : purchases) {
            String id = p.customer() + "-" + p.n();
            lines.add("{\"type\":\"purchase\",\"event_id\":\"" + id + "\",\"customer_id\":\"c" + p.customer() + "\",\"occurred_at\":\""
                    + Instant.ofEpochMilli(p.at()) + "\",\"order_id\":\"o" + id + "\",\"amount\":\""
                    + BigDecimal.valueOf(p.cents(), 2).toPlainString() + "\",\"currency\":\"EUR\"}");
        }
        return lines;
    }

    /** Customers by the month of their first purchase (the start of that month). */
    private static Map<Instant, Long> cohortSizes() {
        Map<Instant, Long> sizes = new TreeMap<>();
        CdnowData.master().forEach((id, t) -> {
            long first = java.util.Arrays.stream(t.times()).min().orElseThrow();
            Instant month = YearMonth.from(Instant.ofEpochMilli(first).atZone(ZoneOffset.UTC)).atDay(1)
                    .atStartOfDay().toInstant(ZoneOffset.UTC);
            sizes.merge(month, 1L, Long::sum);
        });
        return sizes;
    }
}
