package org.retentionpulse.topology.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.metrics.Metric;

class IntervalTest {
    /** The contract's rounding, written the plain way: the exact binary value, half-even. */
    private static BigDecimal exact(double value) {
        return new BigDecimal(value).setScale(Metric.SCALE, RoundingMode.HALF_EVEN);
    }

    @Test
    void boundsRoundAsTheExactBinaryValueDoesHalfEvenNearTiesAndFarFromThem() {
        Random random = new Random(13);
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 100.0, 0.00005, 0.00015, 0.00025, -0.00025, 2.675,
                12.34565, 99.99995, 1e12 + 0.00005, 3e15, -7.5e14));
        for (int i = 0; i < 20_000; i++) {
            double tie = (random.nextInt(2_000_000) - 1_000_000 + 0.5) / 10_000; // n + 0.5 units, not exact in binary
            values.add(tie);
            values.add(Math.nextUp(tie));
            values.add(Math.nextDown(tie));
            values.add((random.nextDouble() - 0.5) * 400);
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(16)));
        }
        for (int k = -200; k <= 200; k++) {
            values.add(k * 0x1p-5); // every odd k is an exact tie
        }
        for (double v : values) {
            Interval rounded = Interval.clipped(v, v, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

            assertEquals(exact(v), rounded.low(), () -> "low of " + v);
            assertEquals(exact(v), rounded.high(), () -> "high of " + v);
        }
    }

    @Test
    void exactTiesRoundToTheEvenNeighbour() {
        // (2n + 1) / 20000 is a binary fraction when 625 divides 2n + 1: 0.03125 = 2^-5 is 312.5 units exactly.
        assertEquals(new BigDecimal("0.0312"), Interval.round(0.03125));
        assertEquals(new BigDecimal("0.0938"), Interval.round(0.09375));
        assertEquals(new BigDecimal("-0.0312"), Interval.round(-0.03125));
        assertEquals(new BigDecimal("0.0000"), Interval.round(0.0));
    }

    @Test
    void aNonFiniteBoundIsRejectedAsBefore() {
        assertThrows(NumberFormatException.class, () -> Interval.round(Double.NaN));
        assertThrows(NumberFormatException.class, () -> Interval.round(Double.POSITIVE_INFINITY));
    }
}
