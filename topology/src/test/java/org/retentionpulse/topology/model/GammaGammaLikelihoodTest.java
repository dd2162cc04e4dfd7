package org.retentionpulse.topology.model;

import static org.apache.commons.math3.special.Gamma.logGamma;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gamma-Gamma's grouped likelihood (log-gamma terms once per distinct x, parameter-free sums once per fit) is the
 * per-buyer sum of Hardie's note 025 in another order: the same values at any parameters, and fits that find the
 * same parameters as a search on the per-buyer sum, on CDNOW and on generated data.
 */
class GammaGammaLikelihoodTest {
    private static final List<CustomerSummary> CDNOW =
            CdnowData.publishedSummaryWithSpend().stream().map(CdnowData.PublishedRow::summary).toList();
    private static final List<CustomerSummary> GENERATED = GeneratedPurchases.draw(7, 4_000, 60, 180).summariesAsOf(180);

    /** The per-buyer log-likelihood as the note writes it, term by term: the reference. */
    private static double perBuyer(double p, double q, double v, List<CustomerSummary> customers, double scale) {
        double ll = 0;
        for (CustomerSummary c : customers) {
            if (c.x() > 0 && c.meanRepeatSpend() > 0) {
                double x = c.x();
                double m = c.meanRepeatSpend() / scale;
                ll += logGamma(p * x + q) - logGamma(p * x) - logGamma(q) + q * Math.log(v) + (p * x - 1) * Math.log(m)
                        + p * x * Math.log(x) - (p * x + q) * Math.log(x * m + v);
            }
        }
        return ll;
    }

    private static double meanSpend(List<CustomerSummary> customers) {
        return customers.stream().filter(c -> c.x() > 0 && c.meanRepeatSpend() > 0)
                .mapToDouble(CustomerSummary::meanRepeatSpend).average().orElseThrow();
    }

    @Test
    void theGroupedLikelihoodIsThePerBuyerSumAtAnyParameters() {
        for (List<CustomerSummary> data : List.of(CDNOW, GENERATED)) {
            for (double p : new double[] {0.3, 1, 6.25, 40}) {
                for (double q : new double[] {0.5, 3.74, 20}) {
                    for (double v : new double[] {0.1, 15.45, 300}) {
                        double expected = perBuyer(p, q, v, data, 1);
                        assertEquals(expected, new GammaGamma(p, q, v).logLikelihood(data), 1e-11 * Math.abs(expected),
                                () -> "p=" + p + " q=" + q + " v=" + v);
                    }
                }
            }
        }
    }

    @Test
    void theFitFindsTheParametersOfASearchOnThePerBuyerSum() {
        for (List<CustomerSummary> data : List.of(CDNOW, GENERATED)) {
            double scale = meanSpend(data);
            LogParameterFit.Result reference = LogParameterFit.maximise("Gamma-Gamma", GammaGamma.NAMES,
                    par -> perBuyer(par[0], par[1], par[2], data, scale), new double[] {1, 1, 1});
            GammaGamma.Fit fit = GammaGamma.fit(data);
            double[] expected = reference.parameters();
            double[] found = {fit.model().p(), fit.model().q(), fit.model().v() / scale};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], found[i], 1e-6 * expected[i], GammaGamma.NAMES[i]);
            }
            assertEquals(perBuyer(fit.model().p(), fit.model().q(), fit.model().v(), data, 1), fit.logLikelihood(),
                    1e-11 * Math.abs(fit.logLikelihood()));
        }
    }
}
