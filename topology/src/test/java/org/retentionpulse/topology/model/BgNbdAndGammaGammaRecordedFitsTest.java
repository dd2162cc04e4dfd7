package org.retentionpulse.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fits give the doubles the code gave before the refit built its data once (each distinct BG/NBD summary
 * grouped once per fit, Gamma-Gamma's buyers once): the recorded values are that code's results, printed with
 * {@link Double#toHexString} and compared bit for bit. Cold and warm fits (the search path too: the same number
 * of evaluations), the fitted log-likelihood, and the public {@code logLikelihood(Collection)} at fixed parameters,
 * on CDNOW (weeks), a generated whole-day sample of 10,000 customers, and summaries with many ties, a third of
 * them one-time buyers (some with t_x = -0.0, which the key order tells from 0.0), some buyers of zero spend.
 */
class BgNbdAndGammaGammaRecordedFitsTest {
    private record Sample(String name, List<CustomerSummary> customers, double[] bgNbd, double[] gammaGamma) {
    }

    private static final List<Sample> SAMPLES = List.of(
            new Sample("CDNOW", CdnowData.publishedSummaryWithSpend().stream().map(CdnowData.PublishedRow::summary).toList(),
                    new double[] {
                        0x1.f0d4ccf569d14p-3, 0x1.1a7781bde365ep2, 0x1.95f3bbb58add6p-1, 0x1.367e1e408d578p1, -0x1.2b73678c4ce31p13, 0x1.dap7,
                        0x1.f0d4b0e504b39p-3, 0x1.1a7788aee949fp2, 0x1.95f53d34c890ep-1, 0x1.367f1d8b08bacp1, -0x1.2b73678c4c995p13, 0x1.76p7,
                        -0x1.2bda233b7a727p13},
                    new double[] {
                        0x1.8fec7ea2cd743p2, 0x1.df4ea4ea84125p1, 0x1.ee53d07742a02p3, -0x1.fafd8b35f56eep11, 0x1.3ep7,
                        0x1.8fec48e2e9e5ap2, 0x1.df4ee3c3605abp1, 0x1.ee543de96a8cep3, -0x1.fafd8b35f5e7cp11, 0x1.12p7,
                        -0x1.4179e4db65194p12}),
            new Sample("generated days", GeneratedPurchases.draw(3, 10_000, 60, 200).summariesAsOf(200),
                    new double[] {
                        0x1.995f865298587p-2, 0x1.182af770d5193p3, 0x1.a49d5bf7ab77fp-1, 0x1.56a60d93d92abp2, -0x1.3982def7cc838p17, 0x1.9ep7,
                        0x1.99600e358d5ffp-2, 0x1.182b37fa99b7ep3, 0x1.a49ef98739084p-1, 0x1.56a6bc4bf0848p2, -0x1.3982def7cd364p17, 0x1.4cp7,
                        -0x1.3a869ba5cfe49p17},
                    new double[] {
                        0x1.7ba1ffe831126p1, 0x1.e81ffd186710cp1, 0x1.dcdb346567c9p5, -0x1.066c79b3bb5f1p15, 0x1.22p7,
                        0x1.7ba251d3ebc4cp1, 0x1.e82019e0ca741p1, 0x1.dcdad4d00ada6p5, -0x1.066c79b3bb64ep15, 0x1.1cp7,
                        -0x1.8944e0d8b5772p15}),
            new Sample("ties", tiedSummaries(5, 3_000),
                    new double[] {
                        0x1.e306bc2cbe8a9p-3, 0x1.d35d7d6914246p-4, 0x1.50aab32692ad3p20, 0x1.084c22cbd1cc6p23, -0x1.95362f4878067p12, 0x1.548p9,
                        0x1.e306bc2cbe8a9p-3, 0x1.d35d7d6914246p-4, 0x1.50aab32692ad3p20, 0x1.084c22cbd1cc6p23, -0x1.95362f4878067p12, 0x1.548p9,
                        -0x1.900151d235dbbp13},
                    new double[] {
                        0x1.0744327e6b57p-1, 0x1.8cf030609beb9p5, 0x1.32ea3019946e5p12, -0x1.dd3ab983de696p12, 0x1.32p7,
                        0x1.0744294c7491ap-1, 0x1.8cf13c6ac7a73p5, 0x1.32eb1867a002cp12, -0x1.dd3ab983de3bap12, 0x1.12p7,
                        -0x1.489f8e528f487p13}));

    /** Ages of 1 to 60 days in weeks (few distinct values, not whole), repeat counts up to a quarter of the age. */
    private static List<CustomerSummary> tiedSummaries(long seed, int n) {
        Random random = new Random(seed);
        List<CustomerSummary> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int ageDays = 1 + random.nextInt(60);
            int x = random.nextInt(3) == 0 ? 0 : random.nextInt(1 + ageDays / 4);
            double tx = x == 0 ? (random.nextInt(5) == 0 ? -0.0 : 0.0) : random.nextInt(ageDays + 1) / 7.0;
            double spend = x == 0 || random.nextInt(20) == 0 ? 0 : (1 + random.nextInt(40)) * 2.5 + random.nextInt(3) * 0.1;
            out.add(new CustomerSummary(x, tx, ageDays / 7.0, spend));
        }
        return out;
    }

    /** Cold fit, fit warm-started near it (r, alpha, a, b, log-likelihood, evaluations each), log-likelihood at fixed parameters. */
    private static double[] bgNbdResults(List<CustomerSummary> customers) {
        BgNbd.Fit cold = BgNbd.fit(customers);
        BgNbd m = cold.model();
        BgNbd.Fit warm = BgNbd.fit(customers, new BgNbd(m.r() * 1.01, m.alpha() * 0.99, m.a() * 1.02, m.b() * 0.98));
        return new double[] {
            m.r(), m.alpha(), m.a(), m.b(), cold.logLikelihood(), cold.evaluations(),
            warm.model().r(), warm.model().alpha(), warm.model().a(), warm.model().b(), warm.logLikelihood(), warm.evaluations(),
            new BgNbd(0.3, 5, 0.8, 2.5).logLikelihood(customers)};
    }

    /** Cold fit, fit warm-started near it (p, q, v, log-likelihood, evaluations each), log-likelihood at fixed parameters. */
    private static double[] gammaGammaResults(List<CustomerSummary> customers) {
        GammaGamma.Fit cold = GammaGamma.fit(customers);
        GammaGamma m = cold.model();
        GammaGamma.Fit warm = GammaGamma.fit(customers, new GammaGamma(m.p() * 1.01, m.q() * 0.99, m.v() * 1.02));
        return new double[] {
            m.p(), m.q(), m.v(), cold.logLikelihood(), cold.evaluations(),
            warm.model().p(), warm.model().q(), warm.model().v(), warm.logLikelihood(), warm.evaluations(),
            new GammaGamma(2.5, 3.5, 12).logLikelihood(customers)};
    }

    private static void assertSameBits(Function<Sample, double[]> recorded, Function<List<CustomerSummary>, double[]> results) {
        for (Sample sample : SAMPLES) {
            double[] expected = recorded.apply(sample);
            double[] actual = results.apply(sample.customers());
            assertEquals(expected.length, actual.length, sample.name());
            for (int i = 0; i < expected.length; i++) {
                int at = i;
                assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]),
                        () -> sample.name() + " result " + at + ": recorded " + Double.toHexString(expected[at])
                                + ", got " + Double.toHexString(actual[at]));
            }
        }
    }

    @Test
    void bgNbdFitsGiveTheSameParametersAndLikelihoodToTheLastBitAsBeforeTheSharedGrouping() {
        assertSameBits(Sample::bgNbd, BgNbdAndGammaGammaRecordedFitsTest::bgNbdResults);
    }

    /**
     * BG/NBD sums in key order, so the customers' order changes no bit: of the fits, and of the log-likelihood of
     * small samples (too small to fit; a few distinct values in small hash tables) at a few parameters.
     */
    @Test
    void bgNbdGivesTheSameBitsWhateverTheOrderOfTheCustomers() {
        for (Sample sample : SAMPLES) {
            assertSameBitsShuffled(sample.customers(), BgNbdAndGammaGammaRecordedFitsTest::bgNbdResults);
        }
        List<BgNbd> models = List.of(new BgNbd(0.3, 5, 0.8, 2.5), new BgNbd(2, 0.5, 0.05, 40), new BgNbd(0.01, 100, 3, 0.4));
        for (int seed = 0; seed < 30; seed++) {
            assertSameBitsShuffled(tiedSummaries(100 + seed, 1 + 7 * seed),
                    customers -> models.stream().mapToDouble(m -> m.logLikelihood(customers)).toArray());
        }
    }

    private static void assertSameBitsShuffled(List<CustomerSummary> customers, Function<List<CustomerSummary>, double[]> results) {
        double[] expected = results.apply(customers);
        List<CustomerSummary> shuffled = new ArrayList<>(customers);
        Collections.shuffle(shuffled, new Random(customers.size()));
        double[] actual = results.apply(shuffled);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]),
                    customers.size() + " customers, result " + i);
        }
    }

    @Test
    void gammaGammaFitsGiveTheSameParametersAndLikelihoodToTheLastBitAsBeforeTheSharedBuyers() {
        assertSameBits(Sample::gammaGamma, BgNbdAndGammaGammaRecordedFitsTest::gammaGammaResults);
    }
}
