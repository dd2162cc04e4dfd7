package org.retentionpulse.topology.model;

import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * The Gamma-Gamma model of spend per purchase (Fader, Hardie and Lee 2005, "RFM and CLV"; Hardie's note
 * 025): the value of each of a customer's purchases is Gamma(p, ν) distributed (shape p, rate ν) with
 * {@code ν ~ Gamma(q, v)} across customers, independent of how often the customer buys. Fitted on the customers with at least one repeat
 * purchase (their mean repeat spend, {@code x} purchases each); {@code v} is in currency units.
 */
public record GammaGamma(double p, double q, double v) {
    static final String[] NAMES = {"p", "q", "v"};
    /** Repeat buyers with a positive mean spend a fit needs at least. */
    public static final int MIN_CUSTOMERS = 10;

    public GammaGamma {
        if (!(p > 0 && q > 0 && v > 0) || !Double.isFinite(p + q + v)) {
            throw new IllegalArgumentException("Gamma-Gamma parameters must be positive and finite: " + this);
        }
    }

    /** A fitted model, the maximum log-likelihood and the number of repeat buyers it was fitted on. */
    public record Fit(GammaGamma model, double logLikelihood, int customers, int evaluations) {
    }

    /**
     * Maximum-likelihood fit on the customers with {@code x > 0} and a positive mean repeat spend (others carry
     * no information on spend), from {@code p = q = 1} and {@code v} = their average spend (money rescaled so
     * that this average is 1 during the search).
     *
     * @throws ModelFitException with too few such customers, or when the fitted {@code q <= 1}, for which the
     *     expected spend is infinite, or when the search does not converge
     */
    public static Fit fit(Collection<CustomerSummary> customers) {
        return fit(customers, null);
    }

    /**
     * The same fit warm-started from {@code start} (the previous fit), unless {@code start} or the search from it
     * nears the edge of the parameter space, where the cold fit decides ({@link LogParameterFit#WARM_BOUND});
     * {@code null}: the cold fit.
     */
    public static Fit fit(Collection<CustomerSummary> customers, GammaGamma start) {
        Buyers buyers = new Buyers(customers); // once: the search's data and the fitted likelihood's share it
        if (buyers.size() < MIN_CUSTOMERS) {
            throw new ModelFitException(ModelFitException.Reason.TOO_FEW_REPEAT_BUYERS, String.format(Locale.ROOT,
                    "Gamma-Gamma needs at least %d customers with a repeat purchase of positive value; got %d of %d",
                    MIN_CUSTOMERS, buyers.size(), customers.size()));
        }
        double scale = Arrays.stream(buyers.spend).average().orElseThrow();
        Data scaled = new Data(buyers, scale);
        LogParameterFit.Result found = LogParameterFit.maximise("Gamma-Gamma", NAMES,
                par -> scaled.logLikelihood(par[0], par[1], par[2]), new double[] {1, 1, 1},
                start == null ? null : new double[] {start.p, start.q, start.v / scale});
        double[] par = found.parameters();
        GammaGamma model = new GammaGamma(par[0], par[1], par[2] * scale);
        if (!(model.q() > 1)) {
            throw new ModelFitException(ModelFitException.Reason.NOT_PREDICTIVE, String.format(Locale.ROOT,
                    "Gamma-Gamma fit has q = %.4g <= 1: the expected spend per purchase is infinite; log-likelihood %.4f",
                    model.q(), found.logLikelihood()));
        }
        return new Fit(model, new Data(buyers, 1).logLikelihood(model.p, model.q, model.v), buyers.size(), found.evaluations());
    }

    /**
     * The log-likelihood of the mean spends of the customers a fit uses: those with a repeat purchase of positive
     * value (others carry no information on spend).
     */
    public double logLikelihood(Collection<CustomerSummary> customers) {
        return new Data(new Buyers(customers), 1).logLikelihood(p, q, v);
    }

    /**
     * The customers with a repeat purchase of positive value (others carry no information on spend), in the
     * customers' order, as arrays: what the likelihood's data has whatever the scale of money.
     */
    private static final class Buyers {
        final double[] x;
        /** Mean repeat spend, in currency units. */
        final double[] spend;
        final DistinctCounts counts;

        Buyers(Collection<CustomerSummary> customers) {
            int[] xs = new int[customers.size()];
            double[] spends = new double[customers.size()];
            int n = 0;
            for (CustomerSummary c : customers) {
                if (c.x() > 0 && c.meanRepeatSpend() > 0) {
                    xs[n] = c.x();
                    spends[n++] = c.meanRepeatSpend();
                }
            }
            counts = DistinctCounts.of(Arrays.stream(xs, 0, n));
            x = Arrays.stream(xs, 0, n).asDoubleStream().toArray();
            spend = Arrays.copyOf(spends, n);
        }

        int size() {
            return x.length;
        }
    }

    /**
     * The repeat buyers as the likelihood needs them, money divided by {@code scale}. Per buyer the log-likelihood
     * is {@code lnΓ(px + q) - lnΓ(px) - lnΓ(q) + q ln v + (px - 1) ln m + px ln x - (px + q) ln(xm + v)}; summed
     * over the buyers that is {@code N (q ln v - lnΓ(q)) + p Σ x ln(xm) - Σ ln m}, the log-gamma terms once per
     * distinct x ({@link DistinctCounts}), and {@code -Σ (px + q) ln(xm + v)}, the one term left per buyer. Unlike
     * BG/NBD's summaries, mean spends are nearly all distinct (6,684 distinct (x, m) of 6,841 buyers in a generated
     * sample), so grouping by (x, m) would save nothing. In the buyers' order, so the sums are the same on every run.
     * The counts and x are the {@link Buyers}' own, shared by the data of every scale.
     */
    private static final class Data {
        final DistinctCounts counts;
        final double[] x;
        final double[] xm;
        final double sumXLogXm;
        final double sumLogM;

        Data(Buyers buyers, double scale) {
            counts = buyers.counts;
            x = buyers.x;
            int n = x.length;
            xm = new double[n];
            double xLogXm = 0;
            double logM = 0;
            for (int i = 0; i < n; i++) {
                double m = buyers.spend[i] / scale;
                xm[i] = x[i] * m;
                xLogXm += x[i] * StrictMath.log(xm[i]);
                logM += StrictMath.log(m);
            }
            sumXLogXm = xLogXm;
            sumLogM = logM;
        }

        double logLikelihood(double p, double q, double v) {
            double ll = x.length * (q * StrictMath.log(v) - logGamma(q)) + p * sumXLogXm - sumLogM;
            for (int k = 0; k < counts.size(); k++) {
                double px = p * counts.value(k);
                ll += counts.customers(k) * (logGamma(px + q) - logGamma(px));
            }
            for (int i = 0; i < x.length; i++) {
                ll -= (p * x[i] + q) * StrictMath.log(xm[i] + v);
            }
            return ll;
        }
    }

    /** The population's mean spend per purchase, {@code p v / (q - 1)}. */
    public double populationMeanSpend() {
        return p * v / (q - 1);
    }

    /**
     * E[spend per purchase | x, mean repeat spend]: the customer's own mean, shrunk towards the population's by
     * weight {@code p x / (p x + q - 1)}; the population's mean for customers without repeat purchases.
     */
    public double expectedAverageSpend(CustomerSummary c) {
        if (c.x() == 0) {
            return populationMeanSpend();
        }
        double weight = p * c.x() / (p * c.x() + q - 1);
        return (1 - weight) * populationMeanSpend() + weight * c.meanRepeatSpend();
    }
}
