package org.retentionpulse.topology.confidence;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The two-sided confidence level of the published intervals (setting {@code confidence}, default 0.95) and its
 * quantiles: z of the standard normal distribution and t of Student's distribution, both at 1 - (1 - level) / 2.
 * Immutable and thread-safe; the distributions are made without a random generator (only their quantiles are used).
 */
public final class ConfidenceLevel {
    public static final double DEFAULT_LEVEL = 0.95;

    /**
     * Absolute accuracy of the t quantile's root search (tighter than the library's 1e-9). The result is within ~2e-10
     * of the exact quantile (the cdf's own accuracy limits it), far below the 4 published decimals of a CES bound.
     */
    private static final double QUANTILE_ACCURACY = 1e-14;

    /** Quantiles of whole degrees of freedom below this are kept once computed (a bound on the cache). */
    private static final double CACHED_DEGREES_BELOW = 10_000;

    private final double level;
    private final double z;
    /**
     * t quantiles by degrees of freedom: every published CES interval needs one, and each is a root search of the
     * distribution function (1 % of the stream thread in a backfill); the degrees are counts, so few values recur.
     */
    private final Map<Double, Double> tQuantiles = new ConcurrentHashMap<>();

    public ConfidenceLevel(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be strictly between 0 and 1, got " + level);
        }
        this.level = level;
        this.z = new NormalDistribution(null, 0, 1).inverseCumulativeProbability(upperTail(level));
    }

    public static ConfidenceLevel defaults() {
        return new ConfidenceLevel(DEFAULT_LEVEL);
    }

    public double level() {
        return level;
    }

    /** The normal quantile: 1.959963984540054 at 95%. */
    public double z() {
        return z;
    }

    /** The Student t quantile with {@code degreesOfFreedom} (at least 1). */
    public double t(double degreesOfFreedom) {
        if (degreesOfFreedom < CACHED_DEGREES_BELOW && degreesOfFreedom == Math.rint(degreesOfFreedom)) {
            return tQuantiles.computeIfAbsent(degreesOfFreedom, this::computeT);
        }
        return computeT(degreesOfFreedom);
    }

    private double computeT(double degreesOfFreedom) {
        return new TDistribution(null, degreesOfFreedom, QUANTILE_ACCURACY).inverseCumulativeProbability(upperTail(level));
    }

    private static double upperTail(double level) {
        return 1 - (1 - level) / 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfidenceLevel other && Double.compare(level, other.level) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(level);
    }

    @Override
    public String toString() {
        return Double.toString(level);
    }
}
