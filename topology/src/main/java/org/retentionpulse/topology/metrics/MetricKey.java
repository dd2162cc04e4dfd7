package org.retentionpulse.topology.metrics;

import org.retentionpulse.schemas.MetricUpdate;

/**
 * The key of the metric-updates topic: {@code metric|window|segment|window_start}, e.g.
 * {@code nps|P30D/P1D|plan=pro|2024-03-01T00:00:00Z}. The latest record per key is the current value, so
 * the topic can be compacted. A {@code churn_reason_share} record has one key per reason:
 * {@code metric|window|segment|window_start|reason}.
 */
public final class MetricKey {
    private MetricKey() {
    }

    public static String of(MetricUpdate update) {
        String key = update.getMetric() + '|' + update.getWindow() + '|' + update.getSegment() + '|' + update.getWindowStart();
        return update.getReason() == null ? key : key + '|' + update.getReason();
    }
}
