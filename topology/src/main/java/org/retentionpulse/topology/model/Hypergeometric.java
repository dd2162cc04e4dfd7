package org.retentionpulse.topology.model;

/**
 * The Gauss hypergeometric function {@code 2F1(a, b; c; z)} for {@code 0 <= z < 1}, which BG/NBD's
 * conditional expectation needs and Commons Math does not provide.
 *
 * <p>Summed as its power series after Euler's transformation
 * {@code 2F1(a, b; c; z) = (1 - z)^(c - a - b) 2F1(c - a, c - b; c; z)}: in BG/NBD {@code a = r + x} and
 * {@code b = b + x} grow with the customer's purchases while {@code c - a = a + b - 1 - r} and
 * {@code c - b = a - 1} do not, so the transformed series has small numerators and a large denominator and
 * converges in a few dozen terms where the direct one would first grow like {@code n^x} (lifetimes falls back
 * to the same transformation when the direct value overflows). Returned as a logarithm.
 */
final class Hypergeometric {
    private static final int MAX_TERMS = 100_000;
    private static final double TOLERANCE = 1e-15;

    private Hypergeometric() {
    }

    /** {@code ln 2F1(a, b; c; z)}; needs {@code c > 0}, {@code 0 <= z < 1} and a positive value. */
    static double log2F1(double a, double b, double c, double z) {
        if (!(c > 0) || !(z >= 0 && z < 1)) {
            throw new IllegalArgumentException("2F1 needs c > 0 and 0 <= z < 1, got c=" + c + ", z=" + z);
        }
        double series = series(c - a, c - b, c, z);
        if (!(series > 0)) {
            throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") is not positive: " + series);
        }
        return (c - a - b) * StrictMath.log1p(-z) + StrictMath.log(series);
    }

    private static double series(double a, double b, double c, double z) {
        double term = 1;
        double sum = 1;
        for (int n = 0; n < MAX_TERMS; n++) {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.abs(term) <= TOLERANCE * Math.abs(sum)) {
                return sum;
            }
        }
        throw new ArithmeticException("2F1 series did not converge in " + MAX_TERMS + " terms (a=" + a + ", b=" + b
                + ", c=" + c + ", z=" + z + ")");
    }
}
