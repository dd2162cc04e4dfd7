package org.retentionpulse.reference;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract's worked example for sections 7-9 ({@code docs/examples/shop.jsonl}, settings from the examples'
 * README: {@code churn.inactivity=P10D}, windows {@code P1D/P1D,P7D/P1D}, cohorts {@code P1W} with 4 periods).
 */
class ShopExampleTest {

    @Test
    void shopStreamReproducesEveryExpectedFinalValueOfSectionsFourAndEight() throws Exception {
        ReferenceModel model = shopModel();

        SortedMap<MetricKey, BigDecimal> expected =
                FinalValue.toSortedMap(ReferenceModel.readExpected(resource("shop.expected.jsonl")));

        assertEquals(7850, expected.size());
        assertEquals(List.of(), FinalValueComparison.differences(expected, model.finals()));
    }

    @Test
    void shopStreamReproducesEveryExpectedCohortCell() throws Exception {
        ReferenceModel model = shopModel();

        SortedMap<CohortKey, CohortCell> expected = ReferenceModel.readExpectedCohorts(resource("shop.cohorts.expected.jsonl"));

        assertEquals(47, expected.size());
        assertEquals(List.of(), cellDifferences(expected, model.cohortCells()));
    }

    @Test
    void shopStreamMatchesTheHandWorkedValues() throws Exception {
        ReferenceModel model = shopModel();
        SortedMap<WindowSegment, SegmentCounts> counts = model.finalCounts();

        // ann lapses at 01-12 10:00 and buys at that instant: a lapse and a reactivation the same instant
        SegmentCounts jan12 = counts.get(daily("2024-01-12"));
        assertEquals(List.of(7L, 1L, 1L, 7L, 1L), List.of(jan12.activeAtStart(), jan12.signups(), jan12.cancellations(),
                jan12.activeAtEnd(), jan12.reactivations()));
        assertEquals(List.of("inactivity"), List.copyOf(jan12.churnedByReason().keySet()));
        // gus's lapse at 01-13 00:00 comes before his cancellation at that instant, which is ignored
        SegmentCounts jan13 = counts.get(daily("2024-01-13"));
        assertEquals(2, jan13.cancellations());
        assertEquals(1, jan13.ignoredCancellations());
        assertEquals(5, jan13.activeAtEnd());
        // cat's cancellation reason is normalised; her purchase a day later is a win-back from a pool of 1
        assertEquals(List.of("too expensive"), List.copyOf(counts.get(daily("2024-01-05")).churnedByReason().keySet()));
        SegmentCounts jan06 = counts.get(daily("2024-01-06"));
        assertEquals(List.of(1L, 1L), List.of(jan06.winBackPool(), jan06.winBacks()));
        // fay comes back on 01-20 from a pool of bob, gus, cat and fay
        SegmentCounts jan20 = counts.get(daily("2024-01-20"));
        assertEquals(List.of(4L, 1L), List.of(jan20.winBackPool(), jan20.winBacks()));
        // ann answered twice on 01-02: one respondent
        assertEquals(1, counts.get(daily("2024-01-02")).respondents());
    }

    private static ReferenceModel shopModel() throws Exception {
        ReferenceModel model = new ReferenceModel(WindowSpecRef.parseAll("P1D/P1D,P7D/P1D"), Duration.ofHours(6), "EUR",
                ReferenceModel.DEFAULT_DIMENSIONS, ReferenceRules.sevenToNine(Duration.ofDays(10), "P1W", 4));
        Files.readAllLines(resource("shop.jsonl")).forEach(model::accept);
        return model;
    }

    private static WindowSegment daily(String day) {
        return new WindowSegment("P1D/P1D", "all", Instant.parse(day + "T00:00:00Z"));
    }

    private static List<String> cellDifferences(SortedMap<CohortKey, CohortCell> expected,
                                                SortedMap<CohortKey, CohortCell> actual) {
        TreeSet<CohortKey> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> differences = new ArrayList<>();
        for (CohortKey key : keys) {
            CohortCell want = expected.get(key);
            CohortCell got = actual.get(key);
            if (want == null || got == null || !want.sameAs(got)) {
                differences.add(key + ": expected " + want + " but was " + got);
            }
        }
        return differences;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ShopExampleTest.class.getResource("/reference/" + name).toURI());
    }
}
