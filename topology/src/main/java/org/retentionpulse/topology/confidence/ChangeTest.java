package org.retentionpulse.topology.confidence;

import java.util.Optional;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Whether a rate changed between two windows by more than chance: the two-proportion z-test for proportions
 * (pooled under the null hypothesis of equal shares), its equivalent for NPS (the scores -1, 0, 1 with the pooled
 * promoter and detractor shares), and Welch's t-test for the CES mean score. Two-sided p-values.
 */
public final class ChangeTest {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private ChangeTest() {
    }

    /**
     * @param statistic z (t for CES), positive when the rate rose from the previous to the current window
     * @param pValue the two-sided p-value
     */
    public record Difference(double statistic, double pValue) {
    }

    /**
     * The test of {@code current} against {@code previous}; empty when either is undefined (n = 0, x > n, n < 2 for
     * CES), the two are of different kinds, or the pooled variance is zero (every response alike: no evidence).
     */
    public static Optional<Difference> between(Sample previous, Sample current) {
        if (previous instanceof Sample.Proportion a && current instanceof Sample.Proportion b) {
            return proportions(a, b);
        }
        if (previous instanceof Sample.Complement a && current instanceof Sample.Complement b) {
            return proportions(a.of(), b.of()).map(d -> new Difference(-d.statistic(), d.pValue()));
        }
        if (previous instanceof Sample.NetPromoter a && current instanceof Sample.NetPromoter b) {
            return netPromoter(a, b);
        }
        if (previous instanceof Sample.MeanScore a && current instanceof Sample.MeanScore b) {
            return meanScores(a, b);
        }
        return Optional.empty();
    }

    private static Optional<Difference> proportions(Sample.Proportion a, Sample.Proportion b) {
        if (!a.defined() || !b.defined()) {
            return Optional.empty();
        }
        double pooled = (double) (a.successes() + b.successes()) / (a.size() + b.size());
        double variance = pooled * (1 - pooled) * (1.0 / a.size() + 1.0 / b.size());
        return normal(b.share() - a.share(), variance);
    }

    private static Optional<Difference> netPromoter(Sample.NetPromoter a, Sample.NetPromoter b) {
        if (a.size() <= 0 || b.size() <= 0) {
            return Optional.empty();
        }
        Sample.NetPromoter pooled = new Sample.NetPromoter(a.promoters() + b.promoters(), a.passives() + b.passives(),
                a.detractors() + b.detractors());
        double variance = pooled.scoreVariance() * (1.0 / a.size() + 1.0 / b.size());
        double difference = (b.promoterShare() - b.detractorShare()) - (a.promoterShare() - a.detractorShare());
        return normal(difference, variance);
    }

    private static Optional<Difference> meanScores(Sample.MeanScore a, Sample.MeanScore b) {
        if (a.size() < 2 || b.size() < 2) {
            return Optional.empty();
        }
        double va = a.sampleVariance() / a.size();
        double vb = b.sampleVariance() / b.size();
        if (!(va + vb > 0)) {
            return Optional.empty();
        }
        double t = (b.mean() - a.mean()) / Math.sqrt(va + vb);
        // Welch-Satterthwaite degrees of freedom
        double df = (va + vb) * (va + vb) / (va * va / (a.size() - 1) + vb * vb / (b.size() - 1));
        double p = 2 * new TDistribution(null, df).cumulativeProbability(-Math.abs(t));
        return Optional.of(new Difference(t, p));
    }

    private static Optional<Difference> normal(double difference, double variance) {
        if (!(variance > 0)) {
            return Optional.empty();
        }
        double z = difference / Math.sqrt(variance);
        return Optional.of(new Difference(z, 2 * NORMAL.cumulativeProbability(-Math.abs(z))));
    }
}
