package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricUpdate;

/**
 * The published intervals on the worked example (spec examples/edges, P1D/P1D, segment all), worked by hand from the
 * counts in its README: 03-01 S = 0, N = 2 (one referral), P1 = 2, P2 = 1; 03-02 S = 2, C = 1, NPS 1/1/1, CSAT 1 of 2,
 * one CES response. Wilson at 1 of 2 is [9.4531, 90.5469]; NPS 1/1/1 is 0 ± 1.96 * 100 * sqrt(2/9).
 */
class ConfidenceIntervalsOnEdgesTest {
    private static Map<String, MetricUpdate> finals;

    @BeforeAll
    static void replayEdges() throws IOException {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.sendAll(Files.readAllLines(RetentionPulseTopologyTest.resource("edges.jsonl")));
            pipeline.closeAllWindows();
            finals = pipeline.updates().stream().filter(MetricUpdate::getFinal$).filter(u -> u.getSegment().equals("all"))
                    .collect(Collectors.toMap(u -> u.getMetric() + "@" + u.getWindowStart().toString().substring(0, 10), u -> u));
        }
    }

    @Test
    void oneOfTwoHasTheWilsonIntervalOfOneHalf() {
        for (String key : List.of("churn_rate@2024-03-02", "csat@2024-03-02", "referral_share@2024-03-01",
                "repeat_purchase_rate@2024-03-01", "churn_rate@2024-03-04")) {
            assertInterval(key, "9.4531", "90.5469");
        }
    }

    @Test
    void retentionIsTheSwappedComplementOfChurn() {
        assertInterval("retention_rate@2024-03-02", "9.4531", "90.5469");
        assertInterval("retention_rate@2024-03-03", "20.6549", "100.0000"); // S = 1, C = 0: 100 - Wilson(0 of 1)
    }

    @Test
    void npsOfOnePromoterPassiveAndDetractor() {
        assertInterval("nps@2024-03-02", "-92.3936", "92.3936");
    }

    @Test
    void undefinedIntervalsAreNull() {
        assertNoInterval("churn_rate@2024-03-01"); // S = 0
        assertNoInterval("ces@2024-03-02"); // one response: n < 2
        assertNoInterval("nps@2024-03-01"); // no response
        for (String notARate : Arrays.asList("revenue", "aov", "purchase_frequency", "clv", "active_customers")) {
            assertNoInterval(notARate + "@2024-03-02");
        }
    }

    @Test
    void cesCarriesTheSumOfSquaredScores() {
        MetricUpdate ces = finals.get("ces@2024-03-02");
        assertEquals(1L, ces.getComponents().getCesN());
        assertEquals(25L, ces.getComponents().getCesSq()); // one score of 5
        assertEquals(Instant.parse("2024-03-02T00:00:00Z"), ces.getWindowStart());
    }

    private static void assertInterval(String key, String low, String high) {
        MetricUpdate u = finals.get(key);
        assertEquals(new BigDecimal(low), u.getCiLow(), key);
        assertEquals(new BigDecimal(high), u.getCiHigh(), key);
    }

    private static void assertNoInterval(String key) {
        MetricUpdate u = finals.get(key);
        assertNull(u.getCiLow(), key);
        assertNull(u.getCiHigh(), key);
    }
}
