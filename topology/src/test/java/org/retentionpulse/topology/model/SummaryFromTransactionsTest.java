package org.retentionpulse.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary built from raw transactions is the published one: same x, t_x, T and mean repeat spend. */
class SummaryFromTransactionsTest {

    @Test
    void summariesBuiltFromCdnowMasterEqualThePublishedSampleSummaries() {
        Map<Integer, CdnowData.Transactions> master = CdnowData.master();
        Map<Integer, CustomerSummary> published = CdnowData.publishedSummary();
        List<CdnowData.PublishedRow> withSpend = CdnowData.publishedSummaryWithSpend();
        Map<Integer, Integer> sampleIds = CdnowData.sampleIds();
        assertEquals(2_357, sampleIds.size());
        sampleIds.forEach((masterId, sampleId) -> {
            CdnowData.Transactions t = master.get(masterId);
            CustomerSummary days = CustomerSummary.fromPurchases(t.times(), t.cents(), CdnowData.CALIBRATION_END);
            CustomerSummary weeks = days.timeScaled(7);
            CustomerSummary expected = published.get(sampleId);
            String who = "master " + masterId + " = sample " + sampleId + ": " + days;
            assertEquals(expected.x(), weeks.x(), who);
            assertEquals(expected.tx(), weeks.tx(), 0.005 + 1e-9, who);
            assertEquals(expected.T(), weeks.T(), 0.005 + 1e-9, who);
            CustomerSummary spend = withSpend.get(sampleId - 1).summary();
            assertEquals(expected, new CustomerSummary(spend.x(), spend.tx(), spend.T(), 0), who);
            assertEquals(spend.meanRepeatSpend(), weeks.meanRepeatSpend(), 0.005 + 1e-9, who);
        });
    }

    @Test
    void ordersOnOneDayAreOnePurchaseWorthTheirSum() {
        long day = 86_400_000L;
        CustomerSummary s = CustomerSummary.fromPurchases(new long[] {10 * day + 5, 3 * day, 10 * day + 9_000, 20 * day},
                new long[] {150, 999, 250, 1_000}, 30 * day);
        CustomerSummary later = CustomerSummary.fromPurchases(new long[] {3 * day, 10 * day, 20 * day},
                new long[] {999, 400, 1_000}, 30 * day);
        assertEquals(new CustomerSummary(2, 17, 26, 7.0), later);
        assertEquals(later, s);
        assertNull(CustomerSummary.fromPurchases(new long[] {31 * day}, new long[] {1}, 30 * day));
    }
}
