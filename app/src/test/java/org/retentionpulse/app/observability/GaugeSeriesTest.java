package org.retentionpulse.app.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One gauge name's series: values set in place, meters registered only when the set of series changes. */
class GaugeSeriesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GaugeSeries series = new GaugeSeries(registry, "test.value", "a test gauge", "metric", "segment");

    private Gauge gauge(String metric, String segment) {
        return registry.find("test.value").tags("metric", metric, "segment", segment).gauge();
    }

    @Test
    void aChangedValueIsReadFromTheSameMeterWithoutRegisteringAgain() {
        series.publish(Map.of(List.of("nps", "all"), 10.0, List.of("nps", "plan=pro"), 20.0));
        Gauge all = gauge("nps", "all");
        assertEquals(10.0, all.value());

        series.publish(Map.of(List.of("nps", "all"), 11.5, List.of("nps", "plan=pro"), -3.0));

        assertSame(all, gauge("nps", "all"));
        assertEquals(11.5, gauge("nps", "all").value());
        assertEquals(-3.0, gauge("nps", "plan=pro").value());
        assertEquals(2, registry.find("test.value").gauges().size());
    }

    @Test
    void aSeriesMissingFromAPublishIsRemovedAndComesBackWithItsNewValue() {
        series.publish(Map.of(List.of("nps", "all"), 10.0, List.of("nps", "plan=pro"), 20.0));
        Gauge all = gauge("nps", "all");

        series.publish(Map.of(List.of("nps", "all"), 12.0));

        assertNull(gauge("nps", "plan=pro"));
        assertSame(all, gauge("nps", "all"), "a series that stays keeps its meter");
        assertEquals(12.0, all.value());

        series.publish(Map.of(List.of("nps", "all"), 12.0, List.of("nps", "plan=pro"), 7.0));
        assertEquals(7.0, gauge("nps", "plan=pro").value());
    }

    @Test
    void anEmptyPublishRemovesEverySeries() {
        series.publish(Map.of(List.of("nps", "all"), 10.0));
        series.publish(Map.of());
        assertEquals(0, registry.find("test.value").gauges().size());
    }
}
