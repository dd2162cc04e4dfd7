package org.retentionpulse.topology.metricalerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.metrics.Metric;

class MetricAlertRulesTest {

    @Test
    void bothKindsParseWithTheirDefaults() {
        List<MetricAlertRule> rules = MetricAlertRules.parse(List.of(
                "# comment", "",
                "  churn-high threshold metric=churn_rate window=P7D/P1D segment=plan=* above=10 min_n=50",
                "nps-drop change metric=nps window=P30D/P1D"), "rules.txt", TopologyConfig.DEFAULT_WINDOWS);

        MetricAlertRule.Threshold high = (MetricAlertRule.Threshold) rules.get(0);
        assertEquals(Metric.CHURN_RATE, high.metric());
        assertEquals(MetricAlertRule.Side.ABOVE, high.side());
        assertEquals(new BigDecimal("10"), high.threshold());
        assertEquals(50, high.minSampleSize());
        assertTrue(high.watches("churn_rate", "P7D/P1D", "plan=pro"));
        assertFalse(high.watches("churn_rate", "P7D/P1D", "country=DE"));
        assertFalse(high.watches("churn_rate", "P1D/P1D", "plan=pro"));
        MetricAlertRule.Change drop = (MetricAlertRule.Change) rules.get(1);
        assertEquals(0.01, drop.significance());
        assertEquals(30, drop.minSampleSize());
        assertEquals(MetricAlertRule.Direction.BOTH, drop.direction());
        assertTrue(drop.watches("nps", "P30D/P1D", "all"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x threshold metric=revenue window=P1D/P1D above=1 | not a rate",
        "x threshold metric=churn window=P1D/P1D above=1 | metric 'churn'",
        "x threshold metric=churn_rate window=P2D/P1D above=1 | not one of the configured windows",
        "x threshold metric=churn_rate window=P1D/P1D | exactly one of above",
        "x threshold metric=churn_rate window=P1D/P1D above=1 below=2 | exactly one of above",
        "x change metric=churn_rate window=P1D/P1D significance=1.5 | significance",
        "x change metric=churn_rate window=P1D/P1D min_n=0 | min_n",
        "x change metric=churn_rate window=P1D/P1D direction=sideways | direction",
        "x change metric=churn_rate window=P1D/P1D above=3 | unknown key 'above'",
        "x alarm metric=churn_rate | unknown rule kind",
        "x change window=P1D/P1D | missing metric",
        "x change metric=churn_rate window=P1D/P1D oops | key=value"})
    void errorsNameTheFileAndTheLine(String line, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricAlertRules.parse(List.of("# rules", line), "rules.txt", TopologyConfig.DEFAULT_WINDOWS));

        assertTrue(e.getMessage().startsWith("alerts.rules rules.txt line 2: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aNameIsUsedOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricAlertRules.parse(List.of(
                "a change metric=csat window=P1D/P1D", "a change metric=ces window=P1D/P1D"), "f", TopologyConfig.DEFAULT_WINDOWS));

        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("used twice"), e.getMessage());
    }

    @Test
    void segmentPatternsAreGlobs() {
        assertTrue(new SegmentPattern("*").matches("all"));
        assertTrue(new SegmentPattern("plan=*").matches("plan=pro"));
        assertFalse(new SegmentPattern("plan=*").matches("all"));
        assertTrue(new SegmentPattern("country=D?").matches("country=D?"));
        assertFalse(new SegmentPattern("country=D?").matches("country=DE"));
    }
}
