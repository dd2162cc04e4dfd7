package org.retentionpulse.app.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.CohortCell;

/** The cohort gauges: latest value per cell, the latest cohorts only, the segment cap. */
class CohortGaugesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CohortGauges gauges = new CohortGauges(registry, 1, 2);

    private static CohortCell cell(String segment, String start, int k, long n, long retained, boolean isFinal) {
        BigDecimal retention = BigDecimal.valueOf(100 * retained).divide(BigDecimal.valueOf(n), 4, java.math.RoundingMode.HALF_EVEN);
        return CohortCell.newBuilder().setCohortPeriod("P1W").setCohortStart(Instant.parse(start)).setPeriod(k).setSegment(segment)
                .setCustomers(n).setRetained(retained).setActive(n).setRevenue(new BigDecimal("0.00")).setRetention(retention)
                .setActiveShare(new BigDecimal("100.0000")).setRevenuePerCustomer(new BigDecimal("0.0000")).setFinal$(isFinal)
                .setComputedAt(Instant.EPOCH).build();
    }

    private Double retention(String segment, String start, int k) {
        Gauge g = registry.find("retention.pulse.cohort.retention")
                .tags("period", "P1W", "segment", segment, "cohort_start", start, "k", Integer.toString(k)).gauge();
        return g == null ? null : g.value();
    }

    @Test
    void theLatestRecordOfEachCellOfTheLatestCohortsIsExported() {
        gauges.accept(cell("all", "2024-03-04T00:00:00Z", 0, 4, 1, false));
        gauges.accept(cell("all", "2024-03-04T00:00:00Z", 0, 4, 3, true));
        gauges.accept(cell("all", "2024-03-04T00:00:00Z", 1, 4, 2, false));
        gauges.accept(cell("all", "2024-03-11T00:00:00Z", 0, 2, 1, false));
        gauges.publish();
        assertEquals(75.0, retention("all", "2024-03-04T00:00:00Z", 0));
        assertEquals(50.0, retention("all", "2024-03-04T00:00:00Z", 1));
        assertEquals(50.0, retention("all", "2024-03-11T00:00:00Z", 0));

        gauges.accept(cell("all", "2024-03-18T00:00:00Z", 0, 1, 1, false));
        gauges.publish();
        assertNull(retention("all", "2024-03-04T00:00:00Z", 0), "only the 2 latest cohorts");
        assertEquals(100.0, retention("all", "2024-03-18T00:00:00Z", 0));
    }

    @Test
    void segmentsBeyondTheCapPerDimensionAreNotExported() {
        gauges.accept(cell("plan=pro", "2024-03-04T00:00:00Z", 0, 2, 1, false));
        gauges.accept(cell("plan=basic", "2024-03-04T00:00:00Z", 0, 2, 2, false));
        gauges.publish();
        assertEquals(50.0, retention("plan=pro", "2024-03-04T00:00:00Z", 0));
        assertNull(retention("plan=basic", "2024-03-04T00:00:00Z", 0));
    }
}
