package org.retentionpulse.app.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.confidence.ConfidenceLevel;

/** The business gauges: current window per series, the segment cap, and exact folding into "other". */
class BusinessGaugesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BusinessGauges gauges = new BusinessGauges(registry, 1, ConfidenceLevel.defaults());

    private static MetricUpdate nps(String segment, String start, long prom, long pass, long detr, boolean isFinal) {
        long n = prom + pass + detr;
        BigDecimal value = n == 0 ? null : BigDecimal.valueOf(100 * (prom - detr)).divide(BigDecimal.valueOf(n), 4, java.math.RoundingMode.HALF_EVEN);
        Instant s = Instant.parse(start);
        return MetricUpdate.newBuilder().setMetric("nps").setWindow("P1D/P1D").setWindowStart(s).setWindowEnd(s.plusSeconds(86_400))
                .setSegment(segment).setValue(value)
                .setComponents(MetricComponents.newBuilder().setProm(prom).setPass(pass).setDetr(detr).build())
                .setFinal$(isFinal).setComputedAt(Instant.EPOCH).build();
    }

    private Double value(String segment) {
        Gauge g = registry.find("retention.pulse.metric.value").tags("metric", "nps", "window", "P1D/P1D", "segment", segment).gauge();
        return g == null ? null : g.value();
    }

    @Test
    void foldedSegmentsAreRecomputedFromSummedComponentsNotAveraged() {
        gauges.accept(nps("plan=pro", "2024-03-01T00:00:00Z", 1, 0, 0, false));
        gauges.accept(nps("plan=basic", "2024-03-01T00:00:00Z", 1, 0, 0, false));   // 100
        gauges.accept(nps("plan=free", "2024-03-01T00:00:00Z", 0, 1, 2, false));    // -66.6667
        gauges.publish();
        assertEquals(100.0, value("plan=pro"), "the first value seen is within the cap of 1");
        assertNull(value("plan=basic"));
        // (1 - 2) / 4 = -25, not the mean of 100 and -66.67
        assertEquals(-25.0, value("plan=other"));
    }

    @Test
    void theCurrentDailyWindowIsTheLatestDayAndAnOlderFinalDoesNotReplaceIt() {
        gauges.accept(nps("all", "2024-03-02T00:00:00Z", 1, 1, 0, false));
        gauges.accept(nps("all", "2024-03-01T00:00:00Z", 0, 0, 1, true));
        gauges.publish();
        assertEquals(50.0, value("all"));
        gauges.accept(nps("all", "2024-03-02T00:00:00Z", 1, 1, 2, true));
        gauges.publish();
        assertEquals(-25.0, value("all"));
    }

    @Test
    void recordsOfWindowsOlderThanTheCurrentOneNeedNotBeDecoded() {
        assertTrue(gauges.mayChange("nps|P1D/P1D|all|2024-03-01T00:00:00Z"), "nothing seen yet: every record counts");
        gauges.accept(nps("all", "2024-03-02T00:00:00Z", 1, 1, 0, false));
        assertFalse(gauges.mayChange("nps|P1D/P1D|plan=a|b|2024-03-01T00:00:00Z"), "a final of yesterday (a '|' in the segment)");
        assertTrue(gauges.mayChange("nps|P1D/P1D|all|2024-03-02T00:00:00Z"), "the current day");
        assertTrue(gauges.mayChange("aov|P1D/P1D|all|2024-03-03T00:00:00Z"), "a newer day moves the current window");
        assertTrue(gauges.mayChange("nps|P7D/P1D|all|2024-02-01T00:00:00Z"), "another spec, none seen yet");
        assertTrue(gauges.mayChange("churn_reason_share|P1D/P1D|all|2024-03-01T00:00:00Z|price|x"), "reason keys are decoded");
        // what it skips would not have changed the gauge
        gauges.accept(nps("all", "2024-03-01T00:00:00Z", 0, 0, 5, true));
        gauges.publish();
        assertEquals(50.0, value("all"));
    }

    @Test
    void foldingUsesOnlyTheFoldedSegmentsLatestCommonWindow() {
        gauges.accept(nps("country=DE", "2024-03-02T00:00:00Z", 1, 0, 0, false));
        gauges.accept(nps("country=AT", "2024-03-01T00:00:00Z", 0, 0, 5, true));
        gauges.accept(nps("country=FR", "2024-03-02T00:00:00Z", 0, 0, 1, false));
        gauges.publish();
        assertEquals(-100.0, value("country=other"), "AT's last window is older than FR's: only FR counts");
    }

    private static MetricUpdate activeCustomers(String window, String start, long e) {
        org.retentionpulse.topology.time.WindowSpec spec = org.retentionpulse.topology.time.WindowSpec.parse(window);
        Instant s = Instant.parse(start);
        return MetricUpdate.newBuilder().setMetric("active_customers").setWindow(window).setWindowStart(s)
                .setWindowEnd(s.plusMillis(spec.sizeMs())).setSegment("all").setValue(BigDecimal.valueOf(e))
                .setComponents(MetricComponents.newBuilder().setE(e).build())
                .setFinal$(false).setComputedAt(Instant.EPOCH).build();
    }

    private Double value(String metric, String window) {
        Gauge g = registry.find("retention.pulse.metric.value").tags("metric", metric, "window", window, "segment", "all").gauge();
        return g == null ? null : g.value();
    }

    @Test
    void rollingWindowsShowTheWindowEndingWithTheCurrentDayNotTheOneStartingToday() {
        // Stream time on 03-15: the open windows of each spec are every one that contains 03-15.
        for (int d = 0; d < 30; d++) {
            Instant start = Instant.parse("2024-02-15T00:00:00Z").plus(java.time.Duration.ofDays(d));
            gauges.accept(activeCustomers("P30D/P1D", start.toString(), 3000 + d));
            if (d >= 23) {
                gauges.accept(activeCustomers("P7D/P1D", start.toString(), 700 + d));
            }
        }
        gauges.accept(activeCustomers("P1D/P1D", "2024-03-15T00:00:00Z", 100));
        gauges.publish();
        assertEquals(3000.0, value("active_customers", "P30D/P1D"), "02-15 .. 03-15, not the window starting 03-15");
        assertEquals(723.0, value("active_customers", "P7D/P1D"), "03-09 .. 03-15");
        assertEquals(100.0, value("active_customers", "P1D/P1D"));
        // The next day's first record moves every current window by one day.
        gauges.accept(activeCustomers("P30D/P1D", "2024-03-16T00:00:00Z", 4000));
        gauges.publish();
        assertEquals(3001.0, value("active_customers", "P30D/P1D"), "02-16 .. 03-16");
    }

    @Test
    void undefinedValuesAreNotExported() {
        gauges.accept(nps("all", "2024-03-01T00:00:00Z", 0, 0, 0, false));
        gauges.publish();
        assertNull(value("all"));
    }

    private Double bound(String name, String segment) {
        Gauge g = registry.find(name).tags("metric", "nps", "window", "P1D/P1D", "segment", segment).gauge();
        return g == null ? null : g.value();
    }

    @Test
    void intervalBoundsAreExportedFromTheRecordAndRecomputedForOther() {
        MetricUpdate pro = nps("plan=pro", "2024-03-01T00:00:00Z", 1, 0, 0, false);
        pro.setCiLow(new BigDecimal("12.3400"));
        pro.setCiHigh(new BigDecimal("100.0000"));
        gauges.accept(pro);
        gauges.accept(nps("plan=basic", "2024-03-01T00:00:00Z", 1, 0, 0, false));
        gauges.accept(nps("plan=free", "2024-03-01T00:00:00Z", 0, 1, 2, false));
        gauges.publish();

        assertEquals(12.34, bound("retention.pulse.metric.ci.low", "plan=pro"));
        assertEquals(100.0, bound("retention.pulse.metric.ci.high", "plan=pro"));
        // other = basic + free = 1/1/2: -25 ± 1.96 * 100 * sqrt(0.6875 / 4)
        assertEquals(-100.0, bound("retention.pulse.metric.ci.low", "plan=other"), "clipped");
        assertEquals(56.2558, bound("retention.pulse.metric.ci.high", "plan=other"));
    }

    private static MetricUpdate reasonShare(String segment, String start, String reason, long churnedReason, long churned) {
        Instant s = Instant.parse(start);
        return MetricUpdate.newBuilder().setMetric("churn_reason_share").setWindow("P1D/P1D").setWindowStart(s)
                .setWindowEnd(s.plusSeconds(86_400)).setSegment(segment).setReason(reason)
                .setValue(BigDecimal.valueOf(100 * churnedReason).divide(BigDecimal.valueOf(churned), 4, java.math.RoundingMode.HALF_EVEN))
                .setComponents(MetricComponents.newBuilder().setChurnedReason(churnedReason).setChurned(churned).build())
                .setFinal$(false).setComputedAt(Instant.EPOCH).build();
    }

    private Double share(String segment, String reason) {
        Gauge g = registry.find("retention.pulse.churn.reason.share")
                .tags("metric", "churn_reason_share", "window", "P1D/P1D", "segment", segment, "reason", reason).gauge();
        return g == null ? null : g.value();
    }

    @Test
    void churnReasonSharesHaveASeriesPerReasonOfTheCurrentWindowAndNoneInTheMetricValueGauge() {
        gauges.accept(reasonShare("all", "2024-03-01T00:00:00Z", "moved", 1, 1));
        gauges.accept(reasonShare("all", "2024-03-02T00:00:00Z", "too expensive", 1, 4));
        gauges.accept(reasonShare("all", "2024-03-02T00:00:00Z", "inactivity", 3, 4));
        gauges.accept(nps("plan=pro", "2024-03-02T00:00:00Z", 1, 0, 0, false));
        gauges.accept(reasonShare("plan=basic", "2024-03-02T00:00:00Z", "moved", 1, 1));
        gauges.publish();

        assertEquals(25.0, share("all", "too expensive"));
        assertEquals(75.0, share("all", "inactivity"));
        assertNull(share("all", "moved"), "the window of 03-01 is no longer current");
        assertNull(share("plan=basic", "moved"), "a folded segment (beyond the cap of 1) has no reason series");
        assertNull(registry.find("retention.pulse.metric.value").tags("metric", "churn_reason_share").gauge());
    }
}
