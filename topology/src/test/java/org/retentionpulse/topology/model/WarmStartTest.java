package org.retentionpulse.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A fit warm-started from the previous one (small simplex) reaches the optimum the cold fit of the same data reaches,
 * day after day, for less; a warm start from the edge of the parameter space does not keep the fit there; and fits
 * that cannot succeed fail warm as they fail cold.
 */
class WarmStartTest {
    private static final double PARAMETER_TOLERANCE = 1e-3;
    /** BG/NBD's dropout shapes are the least identified: their likelihood is flattest along a and b together. */
    private static final double DROPOUT_TOLERANCE = 2e-2;
    private static final double LOG_LIKELIHOOD_TOLERANCE = 1e-9;

    private record Chain(int days, long warmEvaluations, long coldEvaluations) {
    }

    /** Fits each day's summaries cold and warm-started from the previous day's warm fit; checks each pair. */
    private static Chain compareDaily(int from, int to, int step, IntFunction<List<CustomerSummary>> summariesAsOf) {
        BgNbd.Fit previousPurchases = null;
        GammaGamma.Fit previousSpend = null;
        long warmEvaluations = 0;
        long coldEvaluations = 0;
        for (int day = from; day <= to; day += step) {
            List<CustomerSummary> customers = summariesAsOf.apply(day);
            BgNbd.Fit cold = BgNbd.fit(customers);
            GammaGamma.Fit coldSpend = GammaGamma.fit(customers);
            BgNbd.Fit warm = BgNbd.fit(customers, previousPurchases == null ? null : previousPurchases.model());
            GammaGamma.Fit warmSpend = GammaGamma.fit(customers, previousSpend == null ? null : previousSpend.model());
            String where = "day " + day + ": cold " + cold + " " + coldSpend + ", warm " + warm + " " + warmSpend;
            assertNotWorse(cold.logLikelihood(), warm.logLikelihood(), where);
            assertNotWorse(coldSpend.logLikelihood(), warmSpend.logLikelihood(), where);
            assertClose(cold.model().r(), warm.model().r(), PARAMETER_TOLERANCE, where);
            assertClose(cold.model().alpha(), warm.model().alpha(), PARAMETER_TOLERANCE, where);
            assertClose(cold.model().a(), warm.model().a(), DROPOUT_TOLERANCE, where);
            assertClose(cold.model().b(), warm.model().b(), DROPOUT_TOLERANCE, where);
            assertClose(coldSpend.model().p(), warmSpend.model().p(), PARAMETER_TOLERANCE, where);
            assertClose(coldSpend.model().q(), warmSpend.model().q(), PARAMETER_TOLERANCE, where);
            assertClose(coldSpend.model().v(), warmSpend.model().v(), PARAMETER_TOLERANCE, where);
            if (previousPurchases != null) {
                warmEvaluations += warm.evaluations() + warmSpend.evaluations();
                coldEvaluations += cold.evaluations() + coldSpend.evaluations();
            }
            previousPurchases = warm;
            previousSpend = warmSpend;
        }
        return new Chain((to - from) / step + 1, warmEvaluations, coldEvaluations);
    }

    private static void assertNotWorse(double cold, double warm, String where) {
        assertTrue(warm >= cold - LOG_LIKELIHOOD_TOLERANCE * Math.abs(cold), () -> "warm log-likelihood " + warm
                + " below the cold one " + cold + " at " + where);
    }

    private static void assertClose(double expected, double actual, double relative, String where) {
        assertEquals(expected, actual, relative * expected, where);
    }

    @Test
    void warmStartedDailyFitsOfGeneratedTaskSamplesReachTheColdOptimumForFewerEvaluations() {
        for (long seed = 1; seed <= 3; seed++) {
            GeneratedPurchases purchases = GeneratedPurchases.draw(seed, 3_000, 60, 150);
            Chain chain = compareDaily(110, 150, 1, purchases::summariesAsOf);
            assertTrue(chain.warmEvaluations() < 0.8 * chain.coldEvaluations(), "seed " + seed + ": " + chain);
        }
    }

    @Test
    void warmStartedWeeklyFitsOnCdnowReachTheColdOptimum() {
        Map<Integer, CdnowData.Transactions> master = CdnowData.master();
        List<CdnowData.Transactions> sampled = new ArrayList<>();
        CdnowData.sampleIds().keySet().forEach(id -> sampled.add(master.get(id)));
        long start = LocalDate.of(1997, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        Chain chain = compareDaily(140, 546, 14, day -> {
            List<CustomerSummary> out = new ArrayList<>();
            for (CdnowData.Transactions t : sampled) {
                CustomerSummary s = CustomerSummary.fromPurchases(t.times(), t.cents(), start + day * 86_400_000L);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        });
        assertEquals(30, chain.days());
        assertTrue(chain.warmEvaluations() < chain.coldEvaluations(), chain::toString);
    }

    @Test
    void aWarmStartFromTheEdgeOfTheParameterSpaceDoesNotKeepTheFitThere() {
        // Seen on CDNOW's daily samples: a young fit with a = 9e-7 was the warm start of months of fits that stayed at
        // a ≈ 2e-8, b ≈ 400 with a log-likelihood 0.5-1 % below the cold fits' (a ≈ 0.79, b ≈ 2.4 here).
        List<CustomerSummary> customers = CdnowData.publishedSummaryWithSpend().stream().map(CdnowData.PublishedRow::summary).toList();
        BgNbd.Fit cold = BgNbd.fit(customers);
        BgNbd.Fit fromEdge = BgNbd.fit(customers, new BgNbd(0.40, 10, 2e-8, 400));
        assertEquals(cold.model(), fromEdge.model(), "the cold search decides");
        assertTrue(fromEdge.evaluations() >= cold.evaluations(), "the cold search's evaluations are counted");
        BgNbd.Fit nearby = BgNbd.fit(customers, new BgNbd(0.25, 4.5, 0.8, 2.5));
        assertClose(cold.model().a(), nearby.model().a(), PARAMETER_TOLERANCE, nearby.toString());
        assertTrue(nearby.evaluations() < cold.evaluations(), () -> nearby + " vs " + cold);
    }

    @Test
    void fitsThatCannotSucceedFailWarmAsTheyFailCold() {
        List<CustomerSummary> tireless = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int days = 20 + i;
            tireless.add(new CustomerSummary(days, days, days, 10));
        }
        ModelFitException cold = assertThrows(ModelFitException.class, () -> BgNbd.fit(tireless));
        ModelFitException warm = assertThrows(ModelFitException.class, () -> BgNbd.fit(tireless, new BgNbd(0.24, 4.4, 0.79, 2.4)));
        assertEquals(ModelFitException.Reason.NOT_IDENTIFIED, warm.reason());
        assertEquals(cold.getMessage(), warm.getMessage());

        List<CustomerSummary> sameSpend = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sameSpend.add(new CustomerSummary(1 + i % 5, 5, 30, 20.0));
        }
        ModelFitException coldSpend = assertThrows(ModelFitException.class, () -> GammaGamma.fit(sameSpend));
        ModelFitException warmSpend = assertThrows(ModelFitException.class, () -> GammaGamma.fit(sameSpend, new GammaGamma(6, 3.7, 15)));
        assertEquals(coldSpend.reason(), warmSpend.reason());
        assertEquals(coldSpend.getMessage(), warmSpend.getMessage());
    }

    @Test
    void aSearchThatCannotConvergeFailsWarmAsCold() {
        // A likelihood that never settles (it moves every time it is evaluated): no simplex ever converges.
        int[] calls = {0};
        java.util.function.ToDoubleFunction<double[]> restless = p -> -(p[0] - 1) * (p[0] - 1) + 1e-3 * (calls[0]++ % 7);
        for (double[] previous : new double[][] {null, {1.1}}) {
            ModelFitException e = assertThrows(ModelFitException.class,
                    () -> LogParameterFit.maximise("Restless", new String[] {"x"}, restless, new double[] {2}, previous));
            assertEquals(ModelFitException.Reason.NO_CONVERGENCE, e.reason());
            assertTrue(e.getMessage().startsWith("Restless fit did not converge in 20000 evaluations"), e::getMessage);
        }
    }
}
