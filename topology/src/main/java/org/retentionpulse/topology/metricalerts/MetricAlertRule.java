package org.retentionpulse.topology.metricalerts;

import java.math.BigDecimal;
import org.retentionpulse.topology.metrics.Metric;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * One rule of the {@code alerts.rules} file (format in docs/ALERT-RULES.md). Rules look at final records only.
 */
public sealed interface MetricAlertRule permits MetricAlertRule.Threshold, MetricAlertRule.Change {

    String name();

    Metric metric();

    WindowSpec window();

    SegmentPattern segments();

    /** The least sample size (n of the rate) of a window the rule judges; smaller windows never fire. */
    long minSampleSize();

    /** Whether the rule watches the series of {@code metric} in {@code window} and {@code segment}. */
    default boolean watches(String metricKey, String windowText, String segment) {
        return metric().key().equals(metricKey) && window().toString().equals(windowText) && segments().matches(segment);
    }

    /** Which side of the threshold fires. */
    enum Side { ABOVE, BELOW }

    /** Which way of change fires. */
    enum Direction { UP, DOWN, BOTH }

    /** Fires when a final value is above (below) {@code threshold} with at least {@code minSampleSize} behind it. */
    record Threshold(String name, Metric metric, WindowSpec window, SegmentPattern segments, Side side,
                     BigDecimal threshold, long minSampleSize) implements MetricAlertRule {
        public boolean crossed(BigDecimal value) {
            int c = value.compareTo(threshold);
            return side == Side.ABOVE ? c > 0 : c < 0;
        }
    }

    /**
     * Fires when a final window differs from the previous window of the same series (the one ending where it starts)
     * with a p-value below {@code significance}, both windows of at least {@code minSampleSize}, by at least
     * {@code minChange} in the metric's unit, in {@code direction}.
     */
    record Change(String name, Metric metric, WindowSpec window, SegmentPattern segments, double significance,
                  long minSampleSize, BigDecimal minChange, Direction direction) implements MetricAlertRule {
        public boolean inDirection(BigDecimal change) {
            return switch (direction) {
                case UP -> change.signum() > 0;
                case DOWN -> change.signum() < 0;
                case BOTH -> change.signum() != 0;
            };
        }
    }
}
