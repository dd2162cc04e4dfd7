package org.retentionpulse.topology.metrics;

import java.time.Instant;
import java.time.format.DateTimeParseException;
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

    /** The window and window start a key names; a {@code churn_reason_share} key (its reason may hold '|') is not read. */
    public record WindowOf(String window, Instant windowStart) {
    }

    /**
     * The window of a key of this layout, or null for a {@code churn_reason_share} key or one that is not of this
     * layout (segment values may hold '|': the window is the second field, the start the last).
     */
    public static WindowOf windowOf(String key) {
        return windowOf(key, null);
    }

    /**
     * The same, with the window starts already parsed in {@code parsedStarts} (text -> instant; added to when not
     * there, null: none): a reader of every update sees a few dozen distinct starts, and {@link Instant#parse} was the
     * largest part of the output monitor's cost per record.
     */
    public static WindowOf windowOf(String key, java.util.Map<String, Instant> parsedStarts) {
        int first = key.indexOf('|');
        int second = first < 0 ? -1 : key.indexOf('|', first + 1);
        int last = key.lastIndexOf('|');
        if (second < 0 || last <= second || key.startsWith(Metric.CHURN_REASON_SHARE.key() + '|')) {
            return null;
        }
        try {
            String start = key.substring(last + 1);
            Instant at = parsedStarts == null ? Instant.parse(start) : parsedStarts.computeIfAbsent(start, Instant::parse);
            return new WindowOf(key.substring(first + 1, second), at);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static String of(MetricUpdate update) {
        return of(update, update.getWindowStart().toString());
    }

    /** The same, with the window start's text ({@link Instant#toString}) given: a writer of many updates keeps it. */
    public static String of(MetricUpdate update, String windowStart) {
        String key = update.getMetric() + '|' + update.getWindow() + '|' + update.getSegment() + '|' + windowStart;
        return update.getReason() == null ? key : key + '|' + update.getReason();
    }
}
