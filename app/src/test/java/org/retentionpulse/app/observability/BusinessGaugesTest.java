package org.retentionpulse.app.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    void theCurrentWindowIsTheGreatestStartAndAnOlderFinalDoesNotReplaceIt() {
        gauges.accept(nps("all", "2024-03-02T00:00:00Z", 1, 1, 0, false));
        gauges.accept(nps("all", "2024-03-01T00:00:00Z", 0, 0, 1, true));
        gauges.publish();
        assertEquals(50.0, value("all"));
        gauges.accept(nps("all", "2024-03-02T00:00:00Z", 1, 1, 2, true));
        gauges.publish();
        assertEquals(-25.0, value("all"));
    }

    @Test
    void foldingUsesOnlyTheFoldedSegmentsLatestCommonWindow() {
        gauges.accept(nps("country=DE", "2024-03-02T00:00:00Z", 1, 0, 0, false));
        gauges.accept(nps("country=AT", "2024-03-01T00:00:00Z", 0, 0, 5, true));
        gauges.accept(nps("country=FR", "2024-03-02T00:00:00Z", 0, 0, 1, false));
        gauges.publish();
        assertEquals(-100.0, value("country=other"), "AT's last window is older than FR's: only FR counts");
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
}
