package org.retentionpulse.topology.model;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Purchase histories drawn from the models' own story, for fits on whole-day summaries like a customer task's:
 * customers arrive uniformly over the first days with a first purchase; while alive each buys as a Poisson process
 * with rate {@code λ ~ Gamma(r, alpha)} per day and drops out after each purchase with probability
 * {@code p ~ Beta(a, b)}; each purchase is worth {@code Gamma(p, ν)} with {@code ν ~ Gamma(q, v)}. Seeded: the same
 * seed gives the same histories.
 */
final class GeneratedPurchases {
    static final long DAY_MS = 86_400_000L;

    private record History(long[] times, long[] cents) {
    }

    private final List<History> customers;

    private GeneratedPurchases(List<History> customers) {
        this.customers = customers;
    }

    /** {@code n} customers arriving over the first {@code arrivalDays}, observed for {@code days}. */
    static GeneratedPurchases draw(long seed, int n, int arrivalDays, int days) {
        RandomGenerator random = new Well19937c(seed);
        GammaDistribution rates = new GammaDistribution(random, 0.6, 1 / 10.0); // shape r, scale 1 / alpha (days)
        BetaDistribution dropouts = new BetaDistribution(random, 0.8, 4.0);
        GammaDistribution spendRates = new GammaDistribution(random, 4.0, 1 / 60.0); // shape q, scale 1 / v
        List<History> out = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            double rate = rates.sample();
            double dropout = dropouts.sample();
            GammaDistribution spend = new GammaDistribution(random, 3.0, 1 / spendRates.sample());
            List<long[]> purchases = new ArrayList<>();
            double t = random.nextDouble() * arrivalDays;
            while (t < days) {
                purchases.add(new long[] {Math.round(t * DAY_MS), Math.max(1, Math.round(spend.sample() * 100))});
                if (random.nextDouble() < dropout) {
                    break;
                }
                t += -Math.log(1 - random.nextDouble()) / rate;
            }
            out.add(new History(purchases.stream().mapToLong(p -> p[0]).toArray(), purchases.stream().mapToLong(p -> p[1]).toArray()));
        }
        return new GeneratedPurchases(out);
    }

    /** The summaries (in days) of the customers with a purchase before {@code day}, as observed then. */
    List<CustomerSummary> summariesAsOf(int day) {
        List<CustomerSummary> out = new ArrayList<>();
        for (History h : customers) {
            CustomerSummary s = CustomerSummary.fromPurchases(h.times, h.cents, day * DAY_MS);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
