package org.retentionpulse.topology.confidence;

/**
 * What a rate is estimated from, with its confidence interval (docs/METRICS.md section 10). The rates of section 4 and 8 and
 * the cohort cells of section 9 are each one of these over their published components ({@link MetricSamples}).
 */
public sealed interface Sample permits Sample.Proportion, Sample.Complement, Sample.NetPromoter, Sample.MeanScore {

    /** n: the customers, signups or responses the rate is over. */
    long size();

    /** The interval at {@code level}, or null where the spec says null. */
    Interval interval(ConfidenceLevel level);

    /**
     * A percentage 100 * x / n with its Wilson score interval
     * {@code (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)} times 100; null when n = 0 or x is outside
     * [0, n] (a churn count can exceed S: customers who start and leave within the window).
     */
    record Proportion(long successes, long size) implements Sample {
        public boolean defined() {
            return size > 0 && successes >= 0 && successes <= size;
        }

        public double share() {
            return (double) successes / size;
        }

        @Override
        public Interval interval(ConfidenceLevel level) {
            if (!defined()) {
                return null;
            }
            double n = size;
            double p = share();
            double z = level.z();
            double z2 = z * z;
            double centre = p + z2 / (2 * n);
            double spread = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
            double scale = 1 + z2 / n;
            return Interval.clipped(100 * (centre - spread) / scale, 100 * (centre + spread) / scale, 0, 100);
        }
    }

    /** 100 minus a proportion (retention = 100 - churn): its interval is 100 minus the proportion's, bounds swapped. */
    record Complement(Proportion of) implements Sample {
        @Override
        public long size() {
            return of.size();
        }

        @Override
        public Interval interval(ConfidenceLevel level) {
            Interval interval = of.interval(level);
            return interval == null ? null : interval.complement();
        }
    }

    /**
     * NPS = 100 * (p+ - p-) over n responses, with the interval
     * {@code 100 * (p+ - p-) ± z * 100 * sqrt((p+ + p- - (p+ - p-)²) / n)} clipped to [-100, 100]; null when n = 0.
     */
    record NetPromoter(long promoters, long passives, long detractors) implements Sample {
        @Override
        public long size() {
            return promoters + passives + detractors;
        }

        public double promoterShare() {
            return (double) promoters / size();
        }

        public double detractorShare() {
            return (double) detractors / size();
        }

        /** The variance of one response's score in {-1, 0, 1}: p+ + p- - (p+ - p-)². */
        public double scoreVariance() {
            double net = promoterShare() - detractorShare();
            return promoterShare() + detractorShare() - net * net;
        }

        @Override
        public Interval interval(ConfidenceLevel level) {
            if (size() <= 0) {
                return null;
            }
            double net = 100 * (promoterShare() - detractorShare());
            double spread = level.z() * 100 * Math.sqrt(Math.max(0, scoreVariance()) / size());
            return Interval.clipped(net - spread, net + spread, -100, 100);
        }
    }

    /**
     * CES = 20 * m for the mean score m of n responses (1..5), with the t interval {@code 20 * (m ± t * s / sqrt(n))},
     * s the sample standard deviation from the sum and the sum of squares, t with n - 1 degrees of freedom, clipped
     * to [20, 100]; null when n < 2.
     */
    record MeanScore(long size, long sum, long sumOfSquares) implements Sample {
        public double mean() {
            return (double) sum / size;
        }

        /** s² = (n Σx² - (Σx)²) / (n (n - 1)), the numerator exact in integers. */
        public double sampleVariance() {
            double numerator = (double) (size * sumOfSquares - sum * sum);
            return Math.max(0, numerator) / ((double) size * (size - 1));
        }

        @Override
        public Interval interval(ConfidenceLevel level) {
            if (size < 2) {
                return null;
            }
            double spread = level.t(size - 1) * Math.sqrt(sampleVariance() / size);
            return Interval.clipped(20 * (mean() - spread), 20 * (mean() + spread), 20, 100);
        }
    }
}
