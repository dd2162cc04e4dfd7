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
    /** 10^{@link Metric#SCALE}, exact in binary. */
    private static final double TEN_TO_THE_SCALE = Math.pow(10, Metric.SCALE);
    /** Below 2^50 a scaled double holds its fraction to well under one ulp of a unit. */
    private static final double FAST_LIMIT = 0x1p50;

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

    /**
     * Rounds {@code value}'s exact binary value half-even to {@link Metric#SCALE} decimals. The fast path scales it in
     * double arithmetic: the product's error is at most half an ulp, so unless it lies within an ulp of a tie (n + 0.5)
     * the integer nearest to it is the one nearest to the exact product, and half-even never applies; near a tie, for
     * large values and for non-finite ones, the exact expansion decides (as it always did: it was 2.5-3.7 % of the stream
     * thread, BENCHMARKS.md session 13).
     */
    static BigDecimal round(double value) {
        double scaled = value * TEN_TO_THE_SCALE;
        if (Math.abs(scaled) < FAST_LIMIT && Math.abs(scaled - Math.floor(scaled) - 0.5) > Math.ulp(scaled)) {
            return BigDecimal.valueOf((long) Math.rint(scaled), Metric.SCALE);
        }
        return new BigDecimal(value).setScale(Metric.SCALE, RoundingMode.HALF_EVEN);
    }

}
