package org.retentionpulse.topology.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Expected statistics computed independently with scipy (norm.sf; ttest_ind_from_stats with equal_var=False). */
class ChangeTestTest {

    @Test
    void proportionsUseThePooledTwoProportionZTest() {
        ChangeTest.Difference d = ChangeTest.between(new Sample.Proportion(10, 100), new Sample.Proportion(20, 100)).orElseThrow();

        assertEquals(1.9802950859533488, d.statistic(), 1e-12);
        assertEquals(0.04767038065616141, d.pValue(), 1e-12);
        assertEquals(4.127958476557962e-05, ChangeTest.between(new Sample.Proportion(50, 1000),
                new Sample.Proportion(98, 1000)).orElseThrow().pValue(), 1e-15);
    }

    @Test
    void retentionFallsWhenChurnRises() {
        ChangeTest.Difference d = ChangeTest.between(new Sample.Complement(new Sample.Proportion(10, 100)),
                new Sample.Complement(new Sample.Proportion(20, 100))).orElseThrow();

        assertEquals(-1.9802950859533488, d.statistic(), 1e-12);
        assertEquals(0.04767038065616141, d.pValue(), 1e-12);
    }

    @Test
    void npsUsesThePooledPromoterAndDetractorShares() {
        ChangeTest.Difference d = ChangeTest.between(new Sample.NetPromoter(40, 25, 15), new Sample.NetPromoter(20, 25, 35))
                .orElseThrow();

        assertEquals(-3.8247315498700596, d.statistic(), 1e-12);
        assertEquals(0.00013091465604670816, d.pValue(), 1e-15);
    }

    @Test
    void cesUsesWelchsTTest() {
        // previous: 3,3,4,4,4,4,4,4,5,5; current: 2,2,3,3,3,4,3,2,3,3,4,2
        ChangeTest.Difference d = ChangeTest.between(new Sample.MeanScore(10, 40, 164), new Sample.MeanScore(12, 34, 102))
                .orElseThrow();

        assertEquals(-3.9469019093563658, d.statistic(), 1e-10);
        assertEquals(0.000814260439386474, d.pValue(), 1e-10);
    }

    @Test
    void undefinedOrUninformativeSamplesGiveNoTest() {
        assertTrue(ChangeTest.between(new Sample.Proportion(0, 0), new Sample.Proportion(1, 10)).isEmpty());
        assertTrue(ChangeTest.between(new Sample.Proportion(3, 2), new Sample.Proportion(1, 10)).isEmpty(), "x > n");
        assertTrue(ChangeTest.between(new Sample.Proportion(0, 50), new Sample.Proportion(0, 80)).isEmpty(), "no variance");
        assertTrue(ChangeTest.between(new Sample.MeanScore(1, 5, 25), new Sample.MeanScore(10, 40, 164)).isEmpty(), "n < 2");
        assertTrue(ChangeTest.between(new Sample.NetPromoter(0, 0, 0), new Sample.NetPromoter(1, 0, 0)).isEmpty());
        assertTrue(ChangeTest.between(new Sample.Proportion(1, 10), new Sample.NetPromoter(1, 0, 0)).isEmpty(), "different kinds");
    }
}
