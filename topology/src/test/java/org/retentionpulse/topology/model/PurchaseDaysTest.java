package org.retentionpulse.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The running summary kept per customer equals the batch summary of the same purchases
 * ({@link CustomerSummary#fromPurchases}) whatever the order they arrive in, with several purchases on a day.
 */
class PurchaseDaysTest {
    private static final long DAY = 86_400_000L;
    private static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    @Test
    void anyArrivalOrderGivesTheBatchSummary() {
        Random random = new Random(14);
        for (int customer = 0; customer < 2_000; customer++) {
            int n = 1 + random.nextInt(12);
            List<long[]> purchases = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // few distinct days, so that same-day purchases and out-of-order first days are common
                long at = START + random.nextInt(8) * DAY + random.nextInt((int) DAY);
                purchases.add(new long[] {at, 1 + random.nextInt(10_000)});
            }
            Collections.shuffle(purchases, random);
            PurchaseDays days = null;
            List<long[]> added = new ArrayList<>();
            for (long[] p : purchases) {
                if (days == null) {
                    days = PurchaseDays.first(p[0], p[1]);
                } else {
                    days.add(p[0], p[1], day -> added.stream().anyMatch(q -> Math.floorDiv(q[0], DAY) == day));
                }
                added.add(p);
            }
            long asOf = START + 30 * DAY + 5;
            long[] times = purchases.stream().mapToLong(p -> p[0]).toArray();
            long[] cents = purchases.stream().mapToLong(p -> p[1]).toArray();
            assertEquals(CustomerSummary.fromPurchases(times, cents, asOf + 1), days.summaryAsOf(asOf),
                    "customer " + customer);
        }
    }

    @Test
    void anEarlierFirstPurchaseMakesTheOldFirstDayARepeatDay() {
        PurchaseDays days = PurchaseDays.first(START + 10 * DAY, 3_000);
        days.add(START + 10 * DAY + 60_000, 1_000, day -> true);
        days.add(START, 500, day -> false);
        CustomerSummary s = days.summaryAsOf(START + 20 * DAY);
        assertEquals(new CustomerSummary(1, 10, 20, 40.0), s, "the old first day (30 + 10) is the one repeat purchase");
    }
}
