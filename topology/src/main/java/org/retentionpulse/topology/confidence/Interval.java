package org.retentionpulse.topology.confidence;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.retentionpulse.topology.metrics.Metric;

/**
 * A confidence interval in the metric's unit, rounded half-even to {@link Metric#SCALE} decimals like values.
 *
 * @param low lower bound
 * @param high upper bound
 */
public record Interval(BigDecimal low, BigDecimal high) {

    /** Clips both bounds to [{@code min}, {@code max}], then rounds them from their exact binary value. */
    static Interval clipped(double low, double high, double min, double max) {
        return new Interval(round(clip(low, min, max)), round(clip(high, min, max)));
    }

    /** {@code 100 - this}, bounds swapped: the interval of the complementary percentage. */
    Interval complement() {
        BigDecimal hundred = BigDecimal.valueOf(100);
        return new Interval(hundred.subtract(high), hundred.subtract(low));
    }

    private static double clip(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    private static BigDecimal round(double value) {
        return new BigDecimal(value).setScale(Metric.SCALE, RoundingMode.HALF_EVEN);
    }
}
