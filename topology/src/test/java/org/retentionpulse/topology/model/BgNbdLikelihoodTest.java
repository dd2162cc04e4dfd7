package org.retentionpulse.topology.model;

import static org.apache.commons.math3.special.Gamma.logGamma;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BG/NBD's grouped likelihood (each distinct summary once, terms of x, T and t_x once per distinct value) is the
 * per-customer sum of section 7 of Fader, Hardie and Lee (2005), on CDNOW (weeks) and on generated whole-day data.
 */
class BgNbdLikelihoodTest {
    private static final List<CustomerSummary> CDNOW =
            CdnowData.publishedSummaryWithSpend().stream().map(CdnowData.PublishedRow::summary).toList();
    private static final List<CustomerSummary> GENERATED = GeneratedPurchases.draw(11, 4_000, 60, 180).summariesAsOf(180);

    /** ln L = ln(A1 A2 (A3 + δ A4)), as the paper writes it, customer by customer: the reference. */
    private static double perCustomer(double r, double alpha, double a, double b, List<CustomerSummary> customers) {
        double ll = 0;
        for (CustomerSummary c : customers) {
            int x = c.x();
            double a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
            double a2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
            double a3 = Math.pow(alpha + c.T(), -(r + x));
            double a4 = x > 0 ? a / (b + x - 1) * Math.pow(alpha + c.tx(), -(r + x)) : 0;
            ll += a1 + a2 + Math.log(a3 + a4);
        }
        return ll;
    }

    @Test
    void theGroupedLikelihoodIsThePerCustomerSumAtAnyParameters() {
        for (List<CustomerSummary> data : List.of(CDNOW, GENERATED)) {
            for (double r : new double[] {0.05, 0.243, 2}) {
                for (double alpha : new double[] {0.5, 4.414, 40}) {
                    for (double a : new double[] {0.01, 0.793, 5}) {
                        for (double b : new double[] {0.3, 2.426, 50}) {
                            double expected = perCustomer(r, alpha, a, b, data);
                            assertEquals(expected, new BgNbd(r, alpha, a, b).logLikelihood(data), 1e-10 * Math.abs(expected),
                                    () -> "r=" + r + " alpha=" + alpha + " a=" + a + " b=" + b);
                        }
                    }
                }
            }
        }
    }
}
