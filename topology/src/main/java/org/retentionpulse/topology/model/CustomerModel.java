package org.retentionpulse.topology.model;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/**
 * The fitted customer-lifetime model: BG/NBD for how often and how long customers buy, Gamma-Gamma for how
 * much, and the horizon predictions are made for. Summaries in days (as {@link CustomerSummary#fromPurchases}
 * builds them).
 *
 * <p>The predicted CLV is not discounted: over the default 90-day horizon a 10% annual discount rate would
 * change it by about 1%, less than the model's own uncertainty, and it would be one more setting to explain.
 */
public record CustomerModel(BgNbd.Fit purchases, GammaGamma.Fit spend, Duration horizon) {
    private static final double DAY_MS = 86_400_000d;

    /**
     * BG/NBD's dropout shapes above this are not identified. On young or small data (few customers old enough to
     * have dropped out) the likelihood barely depends on how the dropout probability varies across customers, and
     * the fit lets {@code a} and {@code b} run off together (seen: a = 10^5-10^6 with b = 5-7 times that, for a
     * dropout any {@code a/(a+b)} gives); E[X(t)]'s series then needs about {@code a} terms or overflows, and every
     * customer gets the same score.
     */
    public static final double MAX_DROPOUT_SHAPE = 1_000;

    /**
     * Fits both models on the same customers (Gamma-Gamma uses those of them with repeat purchases).
     *
     * @throws ModelFitException when a fit fails or its parameters cannot predict ({@link #requirePredictive})
     */
    public static CustomerModel fit(Collection<CustomerSummary> customers, Duration horizon) {
        return fit(customers, horizon, null);
    }

    /** The same, warm-started from {@code previous} (null: from the defaults). */
    public static CustomerModel fit(Collection<CustomerSummary> customers, Duration horizon, CustomerModel previous) {
        BgNbd.Fit purchases = BgNbd.fit(customers, previous == null ? null : previous.purchases.model());
        requirePredictive(purchases.model());
        GammaGamma.Fit spend = GammaGamma.fit(customers, previous == null ? null : previous.spend.model());
        return new CustomerModel(purchases, spend, horizon);
    }

    /**
     * Refuses BG/NBD parameters that cannot score customers: dropout shapes above {@value #MAX_DROPOUT_SHAPE}, or
     * {@code a + b <= 1}, where E[X(t)] of a one-time buyer is undefined in the closed form (seen on a young
     * stream task: a = 0.003, b = 0.21).
     */
    static void requirePredictive(BgNbd m) {
        if (m.a() > MAX_DROPOUT_SHAPE || m.b() > MAX_DROPOUT_SHAPE) {
            throw new ModelFitException(ModelFitException.Reason.NOT_IDENTIFIED, String.format(Locale.ROOT, "BG/NBD dropout heterogeneity is not identified by"
                    + " this data: a = %.4g, b = %.4g (more than %.0f); more customers or a longer history are needed",
                    m.a(), m.b(), MAX_DROPOUT_SHAPE));
        }
        if (!(m.a() + m.b() > 1)) {
            throw new ModelFitException(ModelFitException.Reason.NOT_PREDICTIVE, String.format(Locale.ROOT,
                    "BG/NBD fit has a + b = %.4g <= 1: expected purchases of one-time buyers are undefined", m.a() + m.b()));
        }
    }

    public double horizonDays() {
        return horizon.toMillis() / DAY_MS;
    }

    public CustomerPrediction predict(CustomerSummary c) {
        BgNbd bg = purchases.model();
        double expected = bg.expectedPurchases(horizonDays(), c);
        double spendPerPurchase = spend.model().expectedAverageSpend(c);
        return new CustomerPrediction(bg.pAlive(c), expected, spendPerPurchase, expected * spendPerPurchase);
    }
}
