package org.retentionpulse.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BG/NBD and Gamma-Gamma reproduce the published results on the 2,357-customer CDNOW sample (Fader, Hardie and
 * Lee 2005; the Gamma-Gamma figures as in Hardie's note 025 and lifetimes), each to the precision published.
 */
class PublishedCdnowResultsTest {
    private static List<CustomerSummary> customers;
    private static BgNbd.Fit bgnbd;

    @BeforeAll
    static void fit() {
        customers = CdnowData.publishedSummaryWithSpend().stream().map(CdnowData.PublishedRow::summary).toList();
        bgnbd = BgNbd.fit(customers);
    }

    @Test
    void bgNbdFitMatchesThePublishedParametersAndLogLikelihood() {
        assertEquals(2_357, bgnbd.customers());
        BgNbd m = bgnbd.model();
        assertEquals(0.243, m.r(), 0.0005);
        assertEquals(4.414, m.alpha(), 0.0005);
        assertEquals(0.793, m.a(), 0.0005);
        assertEquals(2.426, m.b(), 0.0005);
        assertEquals(-9582.4, bgnbd.logLikelihood(), 0.05);
    }

    @Test
    void expectedPurchasesOfTheWorkedExampleAreThePublishedOnes() {
        CustomerSummary c = new CustomerSummary(2, 30.43, 38.86, 0);
        assertEquals(1.226, bgnbd.model().expectedPurchases(39, c), 0.0005);
    }

    @Test
    void expectedPurchasesAgreeWithTheDirectSeriesOfTheHypergeometricFunction() {
        // Direct 2F1 series, without the Euler transformation the model uses: an independent check of it.
        BgNbd m = bgnbd.model();
        for (CustomerSummary c : List.of(new CustomerSummary(0, 0, 38.86, 0), new CustomerSummary(1, 1.71, 38.86, 0),
                new CustomerSummary(7, 29.43, 35.0, 0))) {
            double t = 52;
            double z = t / (m.alpha() + c.T() + t);
            double term = 1;
            double sum = 1;
            for (int n = 0; n < 10_000; n++) {
                term *= (m.r() + c.x() + n) * (m.b() + c.x() + n) / ((m.a() + m.b() + c.x() - 1 + n) * (n + 1)) * z;
                sum += term;
            }
            double numerator = (m.a() + m.b() + c.x() - 1) / (m.a() - 1)
                    * (1 - sum * Math.pow((m.alpha() + c.T()) / (m.alpha() + c.T() + t), m.r() + c.x()));
            double expected = numerator / (1 + (c.x() > 0 ? m.a() / (m.b() + c.x() - 1)
                    * Math.pow((m.alpha() + c.T()) / (m.alpha() + c.tx()), m.r() + c.x()) : 0));
            assertEquals(expected, m.expectedPurchases(t, c), 1e-9, c::toString);
        }
    }

    @Test
    void pAliveIsOneForOneTimeBuyersAndFallsWithSilenceAfterRepeatPurchases() {
        BgNbd m = bgnbd.model();
        assertEquals(1.0, m.pAlive(new CustomerSummary(0, 0, 38.86, 0)));
        double recent = m.pAlive(new CustomerSummary(3, 38, 38.86, 0));
        double silent = m.pAlive(new CustomerSummary(3, 5, 38.86, 0));
        // A customer who just bought is alive unless that purchase was its last: P = 1 / (1 + a / (b + x - 1)).
        assertEquals(1 / (1 + m.a() / (m.b() + 2)), m.pAlive(new CustomerSummary(3, 38.86, 38.86, 0)), 1e-12);
        assertEquals(true, recent > 0.8 && silent < 0.1, () -> recent + " " + silent);
    }

    @Test
    void gammaGammaFitMatchesThePublishedParametersAndCustomerOnesSpend() {
        GammaGamma.Fit gg = GammaGamma.fit(customers);
        assertEquals(946, gg.customers());
        assertEquals(6.25, gg.model().p(), 0.005);
        assertEquals(3.74, gg.model().q(), 0.005);
        assertEquals(15.45, gg.model().v(), 0.005);
        assertEquals(-4055.9, gg.logLikelihood(), 0.05);
        assertEquals(24.66, gg.model().expectedAverageSpend(customers.get(0)), 0.005);
    }
}
