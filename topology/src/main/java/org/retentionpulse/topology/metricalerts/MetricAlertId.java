package org.retentionpulse.topology.metricalerts;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic metric alert ids: a name-based UUID of the rule, the series and the window start. Replaying the same
 * input, or retrying a write after a crash, gives the same id, so a consumer outside the exactly-once boundary can
 * drop repeats.
 */
public final class MetricAlertId {
    private MetricAlertId() {
    }

    public static String of(String rule, String series, long windowStartMs) {
        String name = "metric-alert\u0000" + rule + '\u0000' + series + '\u0000' + windowStartMs;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
