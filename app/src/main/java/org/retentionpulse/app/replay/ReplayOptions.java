package org.retentionpulse.app.replay;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What to replay and where to.
 *
 * @param input canonical JSON Lines events
 * @param metricsOut where every final metric record goes, one JSON object per line
 * @param alertsOut where churn-risk alerts go (null: not written)
 * @param bootstrapServers an existing cluster, or null for a fresh embedded broker
 * @param timeout how long the pipeline may take to work through the input
 * @param keepTopics keep the run's topics on an existing cluster (they are deleted by default)
 * @param metricAlertsOut where metric alerts (of the {@code alerts.rules} file) go (null: not written)
 * @param cohortsOut where every final cohort cell (contract section 9) goes (null: not written)
 */
public record ReplayOptions(Path input, Path metricsOut, Path alertsOut, String bootstrapServers, Duration timeout,
                            boolean keepTopics, Path metricAlertsOut, Path cohortsOut) {

    /** Without metric alerts and cohort cells out. */
    public ReplayOptions(Path input, Path metricsOut, Path alertsOut, String bootstrapServers, Duration timeout, boolean keepTopics) {
        this(input, metricsOut, alertsOut, bootstrapServers, timeout, keepTopics, null, null);
    }

    public ReplayOptions withCohortsOut(Path file) {
        return new ReplayOptions(input, metricsOut, alertsOut, bootstrapServers, timeout, keepTopics, metricAlertsOut, file);
    }
}
