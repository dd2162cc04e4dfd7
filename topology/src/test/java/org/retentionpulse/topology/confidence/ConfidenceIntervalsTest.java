package org.retentionpulse.topology.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.topology.metrics.Metric;

/**
 * The intervals of docs/METRICS.md section 10. Expected bounds were computed independently (Python: scipy.stats norm.ppf and
 * t.ppf, the formulas of the contract, rounded half-even to 4 decimals from the exact binary value).
 */
class ConfidenceIntervalsTest {
    private static final ConfidenceLevel NINETY_FIVE = ConfidenceLevel.defaults();

    @Test
    void zAtTheDefaultLevelIsTheContractsValue() {
        assertEquals(1.959963984540054, NINETY_FIVE.z());
        assertEquals(0.95, NINETY_FIVE.level());
    }

    @Test
    void zAndTFollowTheLevel() {
        assertEquals(1.6448536269514722, new ConfidenceLevel(0.90).z(), 1e-15);
        // commons-math3's t quantile is a root search on its cdf: within 1e-9 of scipy's, far below 4 decimals of a bound
        assertEquals(4.302652729911275, NINETY_FIVE.t(2), 1e-9);
        assertEquals(2.2621571627409915, NINETY_FIVE.t(9), 1e-9);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "-0.5", "1.5", "NaN"})
    void levelOutsideTheOpenUnitIntervalIsRefused(double level) {
        assertThrows(IllegalArgumentException.class, () -> new ConfidenceLevel(level));
    }

    @ParameterizedTest
    @CsvSource({
        "1, 2, 9.4531, 90.5469",
        "0, 10, 0.0000, 27.7533",
        "10, 10, 72.2467, 100.0000",
        "3, 12, 8.8942, 53.2305",
        "1, 3, 6.1492, 79.2340"})
    void proportionHasTheWilsonScoreInterval(long x, long n, String low, String high) {
        assertEquals(interval(low, high), new Sample.Proportion(x, n).interval(NINETY_FIVE));
    }

    @Test
    void wilsonIntervalAtNinetyPercent() {
        assertEquals(interval("10.4653", "48.7338"), new Sample.Proportion(3, 12).interval(new ConfidenceLevel(0.90)));
    }

    @Test
    void proportionWithoutCasesOrWithMoreSuccessesThanCasesHasNoInterval() {
        assertNull(new Sample.Proportion(0, 0).interval(NINETY_FIVE));
        assertNull(new Sample.Proportion(3, 2).interval(NINETY_FIVE), "churn above S: customers who start and leave within the window");
    }

    @Test
    void retentionIsOneHundredMinusTheChurnIntervalWithBoundsSwapped() {
        Sample retention = MetricSamples.of(Metric.RETENTION_RATE, MetricComponents.newBuilder().setS(12L).setC(3L).build());

        assertEquals(interval("46.7695", "91.1058"), retention.interval(NINETY_FIVE));
        assertEquals(12, retention.size());
        assertNull(MetricSamples.of(Metric.RETENTION_RATE, MetricComponents.newBuilder().setS(2L).setC(3L).build())
                .interval(NINETY_FIVE));
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1, 1, -92.3936, 92.3936",
        "40, 25, 15, 14.4205, 48.0795",
        "5, 0, 0, 100.0000, 100.0000",
        "2, 0, 1, -73.3536, 100.0000"})
    void npsIntervalIsFromThePromoterAndDetractorSharesClippedToPlusMinusHundred(long prom, long pass, long detr,
                                                                                 String low, String high) {
        assertEquals(interval(low, high), new Sample.NetPromoter(prom, pass, detr).interval(NINETY_FIVE));
    }

    @Test
    void npsWithoutResponsesHasNoInterval() {
        assertNull(new Sample.NetPromoter(0, 0, 0).interval(NINETY_FIVE));
    }

    @Test
    void cesHasTheStudentTIntervalOfTheMeanScore() {
        // scores 3,3,4,4,4,4,4,4,5,5: n 10, sum 40, sum of squares 164, mean 4, s² 4/9, t(9)
        assertEquals(interval("70.4619", "89.5381"), new Sample.MeanScore(10, 40, 164).interval(NINETY_FIVE));
    }

    @Test
    void cesIntervalIsClippedToTheScaleAndNeedsTwoResponses() {
        // scores 2,4,5: 20 * (3.67 ± 4.30 * 0.88) reaches past both ends of [20, 100]
        assertEquals(interval("20.0000", "100.0000"), new Sample.MeanScore(3, 11, 45).interval(NINETY_FIVE));
        assertNull(new Sample.MeanScore(1, 5, 25).interval(NINETY_FIVE));
        assertNull(new Sample.MeanScore(0, 0, 0).interval(NINETY_FIVE));
        assertEquals(interval("100.0000", "100.0000"), new Sample.MeanScore(4, 20, 100).interval(NINETY_FIVE),
                "all alike: no spread");
    }

    @Test
    void ratesMapToTheirComponents() {
        MetricComponents c = MetricComponents.newBuilder().setS(2L).setC(1L).setP1(3L).setP2(1L).setCsatN(2L).setCsatPos(1L)
                .setN(3L).setReferralSignups(1L).setCesN(10L).setCesSum(40L).setCesSq(164L).build();
        MetricIntervals intervals = new MetricIntervals(NINETY_FIVE);

        assertEquals(interval("9.4531", "90.5469"), intervals.interval(MetricSamples.of(Metric.CHURN_RATE, c)));
        assertEquals(interval("6.1492", "79.2340"), intervals.interval(MetricSamples.of(Metric.REPEAT_PURCHASE_RATE, c)));
        assertEquals(interval("9.4531", "90.5469"), intervals.interval(MetricSamples.of(Metric.CSAT, c)));
        assertEquals(interval("6.1492", "79.2340"), intervals.interval(MetricSamples.of(Metric.REFERRAL_SHARE, c)));
        assertEquals(interval("70.4619", "89.5381"), intervals.interval(MetricSamples.of(Metric.CES, c)));
        for (Metric notARate : new Metric[] {Metric.REVENUE, Metric.AOV, Metric.PURCHASE_FREQUENCY, Metric.CLV, Metric.ACTIVE_CUSTOMERS}) {
            assertNull(MetricSamples.of(notARate, c), notARate.key());
        }
    }

    @Test
    void cesOfARecordWrittenBeforeTheSumOfSquaresExistedHasNoInterval() {
        assertNull(MetricSamples.of(Metric.CES, MetricComponents.newBuilder().setCesN(10L).setCesSum(40L).build()));
    }

    private static Interval interval(String low, String high) {
        return new Interval(new BigDecimal(low), new BigDecimal(high));
    }
}
