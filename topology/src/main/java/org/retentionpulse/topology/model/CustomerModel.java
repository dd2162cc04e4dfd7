package org.retentionpulse.topology.model;

import java.time.Duration;
import java.util.Collection;

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

    /** Fits both models on the same customers (Gamma-Gamma uses those of them with repeat purchases). */
    public static CustomerModel fit(Collection<CustomerSummary> customers, Duration horizon) {
        return new CustomerModel(BgNbd.fit(customers), GammaGamma.fit(customers), horizon);
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
