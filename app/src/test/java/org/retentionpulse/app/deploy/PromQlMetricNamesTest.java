package org.retentionpulse.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {
    @Test
    void aBareSelectorIsItsMetricName() {
        assertEquals(Set.of("up"), PromQlMetricNames.in("up"));
        assertEquals(Set.of("kafka_stream_thread_process_rate"), PromQlMetricNames.in(" kafka_stream_thread_process_rate "));
    }

    @Test
    void functionsAggregationsAndGroupingLabelsAreNotMetrics() {
        String expr = "histogram_quantile(0.99, sum by (le, output) (rate(retention_pulse_end_to_end_latency_seconds_bucket[$__rate_interval])))";
        assertEquals(Set.of("retention_pulse_end_to_end_latency_seconds_bucket"), PromQlMetricNames.in(expr));
        assertEquals(Set.of("a_total"), PromQlMetricNames.in("sum(rate(a_total[5m])) without (instance, job)"));
    }

    @Test
    void labelMatchersStringsAndVariablesAreSkipped() {
        String expr = "max by (window, segment) (retention_pulse_metric_value{metric=\"churn_rate\", window=~\"$window\", segment=~\"${segment:regex}\"})";
        assertEquals(Set.of("retention_pulse_metric_value"), PromQlMetricNames.in(expr));
        assertEquals(Set.of("x"), PromQlMetricNames.in("label_replace(x, \"dst\", \"$1 \\\" y\", \"src\", \"(.*)\")"));
    }

    @Test
    void operatorsKeywordsNumbersAndDurationsAreNotMetrics() {
        String expr = "sum(rate(a_total[1h30m] offset 5m)) / on (job) group_left (plan) b and c > bool 1e3 or d * Inf unless NaN";
        assertEquals(Set.of("a_total", "b", "c", "d"), PromQlMetricNames.in(expr));
        assertEquals(Set.of("x", "y"), PromQlMetricNames.in("x * 60 + atan2 y"));
    }

    @Test
    void subqueriesAndNestedBracesAreSkippedAsAWhole() {
        assertEquals(Set.of("events_total"), PromQlMetricNames.in("max_over_time(rate(events_total{type=\"a}b\"}[1m])[10m:1m])"));
    }

    @Test
    void malformedExpressionsAreRejectedRatherThanGuessed() {
        assertThrows(IllegalArgumentException.class, () -> PromQlMetricNames.in("sum(x{a=\"b\""));
        assertThrows(IllegalArgumentException.class, () -> PromQlMetricNames.in("rate(x[5m)"));
    }
}
