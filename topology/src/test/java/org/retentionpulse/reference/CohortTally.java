package org.retentionpulse.reference;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counts every cohort cell (c, g, k) whose period c+k is one given period P (section 9), from a replayed history:
 * for k = 0..K the cohort c is the k-th period before P, its members the customers whose first effective start
 * lies in c, in the segments of that start.
 */
final class CohortTally {

    private CohortTally() {
    }

    /** Cells of period {@code periodStart} with at least one member (cells with n = 0 are not published). */
    static SortedMap<CohortKey, CohortCell> count(CohortPeriodRef period, int periods, Instant periodStart,
                                                  Lifecycle lifecycle, Collection<Event> events,
                                                  List<String> dimensions) {
        Instant periodEnd = period.end(periodStart);
        Map<String, BigDecimal> spentInPeriod = new HashMap<>();
        for (Event event : events) {
            if (event.kind() == Event.Kind.PURCHASE && !event.occurredAt().isBefore(periodStart)
                    && event.occurredAt().isBefore(periodEnd)) {
                spentInPeriod.merge(event.customerId(), event.amount(), BigDecimal::add);
            }
        }
        Map<CohortKey, long[]> counts = new HashMap<>();
        Map<CohortKey, BigDecimal> revenue = new HashMap<>();
        for (String customer : lifecycle.customers()) {
            Lifecycle.FirstStart first = lifecycle.firstStart(customer);
            if (first == null) {
                continue;
            }
            Instant cohort = period.startContaining(first.at());
            int k = periodsBetween(period, cohort, periodStart, periods);
            if (k < 0) {
                continue;
            }
            BigDecimal spent = spentInPeriod.get(customer);
            boolean active = lifecycle.activeDimensionsAt(customer, periodEnd) != null;
            for (String segment : WindowTally.segments(first.dimensions(), dimensions)) {
                CohortKey key = new CohortKey(period.name(), segment, cohort, k);
                long[] c = counts.computeIfAbsent(key, x -> new long[3]);
                c[0]++;
                c[1] += spent != null ? 1 : 0;
                c[2] += active ? 1 : 0;
                revenue.merge(key, spent == null ? BigDecimal.ZERO : spent, BigDecimal::add);
            }
        }
        SortedMap<CohortKey, CohortCell> cells = new TreeMap<>();
        counts.forEach((key, c) -> cells.put(key, new CohortCell(c[0], c[1], c[2], revenue.get(key))));
        return cells;
    }

    /** k with {@code cohort + k periods = target}, if 0 <= k <= max; else -1. */
    private static int periodsBetween(CohortPeriodRef period, Instant cohort, Instant target, int max) {
        for (int k = 0; k <= max; k++) {
            Instant start = period.plus(cohort, k);
            if (start.equals(target)) {
                return k;
            }
            if (start.isAfter(target)) {
                return -1;
            }
        }
        return -1;
    }
}
