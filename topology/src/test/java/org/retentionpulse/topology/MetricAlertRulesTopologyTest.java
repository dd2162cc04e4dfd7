package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.MetricAlertKind;
import org.retentionpulse.topology.metricalerts.MetricAlertRules;

/**
 * The metric alert stage on the real topology: daily churn per plan. Plan pro (400 customers) loses 5 a day, then
 * 30 on days 4, 5 and 7 and 5 on the others; plan basic (400) loses 5 a day throughout; plan tiny (10) goes from none to 5.
 */
class MetricAlertRulesTopologyTest {
    private static final Instant DAY0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final List<String> RULES = List.of(
            "# churn rules",
            "churn-high threshold metric=churn_rate window=P1D/P1D segment=plan=* above=5 min_n=100",
            "churn-jump change metric=churn_rate window=P1D/P1D segment=plan=* significance=0.01 min_n=100 min_change=1 direction=up");

    @Test
    void changeRuleFiresInTheChangedSegmentOnTheFirstWindowAfterEachChange() {
        List<MetricAlert> jumps = run().stream().filter(a -> a.getKind() == MetricAlertKind.CHANGE).toList();

        // day 4 (30 after 5) and day 7 (30 after 5); not day 5 (30 after 30), not day 6 (a fall: direction=up)
        assertEquals(List.of(day(4), day(7)), jumps.stream().map(MetricAlert::getWindowStart).toList(), jumps::toString);
        MetricAlert jump = jumps.get(0);
        assertEquals("churn-jump", jump.getRule());
        assertEquals("churn_rate|P1D/P1D|plan=pro", jump.getSeries());
        assertEquals(day(4), jump.getWindowStart());
        assertEquals(day(3), jump.getPreviousWindowStart());
        assertEquals(new BigDecimal("7.7922"), jump.getValue()); // 30 of 385
        assertEquals(new BigDecimal("1.2821"), jump.getPreviousValue()); // 5 of 390
        assertEquals(385L, jump.getSampleSize());
        assertEquals(390L, jump.getPreviousSampleSize());
        assertTrue(jump.getZ() > 4 && jump.getPValue() < 1e-4, jump::toString);
        assertTrue(jump.getCiLow().compareTo(jump.getPreviousCiHigh()) > 0, "the intervals no longer overlap");
        assertTrue(jump.getMessage().contains("rose from 1.2821") && jump.getMessage().contains("plan=pro"), jump.getMessage());
    }

    @Test
    void thresholdRuleFiresWhenCrossedAndNotAgainUntilItClears() {
        List<MetricAlert> highs = run().stream().filter(a -> a.getKind() == MetricAlertKind.THRESHOLD).toList();

        // pro: day 4 (7.69) fires, day 5 (8.33) still above: no repeat; day 6 back under 5 clears; day 7 above again
        assertEquals(List.of(day(4), day(7)), highs.stream().map(MetricAlert::getWindowStart).toList(), highs::toString);
        assertTrue(highs.stream().allMatch(a -> a.getSegment().equals("plan=pro")));
        assertEquals(new BigDecimal("5"), highs.get(0).getThreshold().stripTrailingZeros());
    }

    @Test
    void segmentUnderTheMinimumSizeNeverFires() {
        assertTrue(run().stream().noneMatch(a -> a.getSegment().equals("plan=tiny")));
    }

    @Test
    void alertsAreKeyedBySeriesWithIdsThatARerunReproduces() {
        List<TestRecord<String, MetricAlert>> first = runRecords();
        List<TestRecord<String, MetricAlert>> second = runRecords();

        assertEquals(first.stream().map(r -> r.value().getAlertId()).toList(), second.stream().map(r -> r.value().getAlertId()).toList());
        first.forEach(r -> assertEquals(r.value().getSeries(), r.key()));
        assertEquals(first.size(), first.stream().map(r -> r.value().getAlertId()).distinct().count());
    }

    private static List<MetricAlert> run() {
        return runRecords().stream().map(TestRecord::value).toList();
    }

    private static List<TestRecord<String, MetricAlert>> runRecords() {
        TopologyConfig config = PipelineDriver.config("P1D/P1D");
        config = config.withMetricAlertRules(MetricAlertRules.parse(RULES, "test", config.windows()));
        try (PipelineDriver pipeline = new PipelineDriver(config)) {
            pipeline.sendAll(events());
            pipeline.closeAllWindows();
            return pipeline.metricAlerts();
        }
    }

    private static List<String> events() {
        List<String> lines = new ArrayList<>();
        signups(lines, "pro", 400);
        signups(lines, "basic", 400);
        signups(lines, "tiny", 10);
        int[] proCancels = {0, 5, 5, 5, 30, 30, 5, 30, 5};
        int pro = 0;
        int basic = 0;
        for (int d = 1; d < proCancels.length; d++) {
            for (int i = 0; i < proCancels[d]; i++) {
                lines.add(cancel("pro", pro++, d));
            }
            for (int i = 0; i < 5; i++) {
                lines.add(cancel("basic", basic++, d));
            }
        }
        for (int i = 0; i < 5; i++) {
            lines.add(cancel("tiny", i, 4));
        }
        return lines.stream().sorted((a, b) -> time(a).compareTo(time(b))).toList();
    }

    private static void signups(List<String> lines, String plan, int n) {
        for (int i = 0; i < n; i++) {
            lines.add("{\"type\":\"signup\",\"event_id\":\"s-" + plan + i + "\",\"customer_id\":\"" + plan + i
                    + "\",\"occurred_at\":\"" + DAY0.plus(1, ChronoUnit.HOURS) + "\",\"plan\":\"" + plan + "\"}");
        }
    }

    private static String cancel(String plan, int i, int day) {
        return "{\"type\":\"cancellation\",\"event_id\":\"c-" + plan + i + "\",\"customer_id\":\"" + plan + i
                + "\",\"occurred_at\":\"" + day(day).plus(12, ChronoUnit.HOURS) + "\"}";
    }

    private static String time(String line) {
        int at = line.indexOf("\"occurred_at\":\"") + 15;
        return line.substring(at, line.indexOf('"', at));
    }

    private static Instant day(int d) {
        return DAY0.plus(d, ChronoUnit.DAYS);
    }
}
