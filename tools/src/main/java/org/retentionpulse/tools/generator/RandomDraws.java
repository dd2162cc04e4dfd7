package org.retentionpulse.tools.generator;

import java.util.SplittableRandom;

/** The continuous distributions the population model draws from, on top of {@link SplittableRandom}. */
final class RandomDraws {

    private RandomDraws() {
    }

    /**
     * A gamma-distributed value with the given shape and mean (Marsaglia and Tsang's method; shapes below 1
     * are boosted by a power of a uniform draw).
     */
    static double gamma(final SplittableRandom random, final double shape, final double mean) {
        if (shape < 1) {
            final double boosted = gamma(random, shape + 1, shape + 1);
            return boosted * Math.pow(random.nextDouble(), 1 / shape) * mean / shape;
        }
        final double d = shape - 1.0 / 3;
        final double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            final double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v * mean / shape;
            }
        }
    }

    /** A lognormal factor with median 1 and the given log-scale standard deviation. */
    static double lognormalFactor(final SplittableRandom random, final double sigma) {
        return Math.exp(sigma * random.nextGaussian());
    }

    /**
     * The waiting time in milliseconds of a Poisson process with {@code ratePerDay}, or -1 when it is longer
     * than {@code horizonMillis} (which also covers a rate of 0).
     */
    static long waitMillis(final SplittableRandom random, final double ratePerDay, final long horizonMillis) {
        final double wait = random.nextExponential() / ratePerDay * SyntheticCustomer.DAY_MILLIS;
        if (!(wait < horizonMillis)) {
            return -1;
        }
        return Math.max(1, Math.round(wait));
    }

    /** A uniform draw in {@code [0, bound)} milliseconds. */
    static long uniformMillis(final SplittableRandom random, final long bound) {
        return bound <= 1 ? 0 : random.nextLong(bound);
    }
}
