package org.retentionpulse.topology.model;

import java.util.Arrays;

/**
 * What the customer-lifetime model knows of one customer: its repeat purchases and their mean value.
 * Time is in <b>days</b> when the summary is built from events ({@link #fromPurchases}); the models are
 * indifferent to the unit (only BG/NBD's {@code alpha} carries it), so the published CDNOW summaries in
 * weeks are used as they are.
 *
 * <p>The CDNOW convention of Fader, Hardie and Lee: purchases are counted per UTC day, so several orders on
 * one day are one purchase (worth their sum); {@code x} is the number of purchase days after the first,
 * {@code t_x} the day of the last purchase and {@code T} the last observed day, both counted from the day of
 * the first purchase.
 *
 * @param x repeat purchases (purchase days after the first)
 * @param tx recency: time from the first to the last purchase
 * @param T age: time from the first purchase to the end of observation
 * @param meanRepeatSpend mean value of the repeat purchases (currency units); 0 when {@code x = 0}
 */
public record CustomerSummary(int x, double tx, double T, double meanRepeatSpend) {
    private static final long DAY_MS = 86_400_000L;

    public CustomerSummary {
        if (x < 0 || !(tx >= 0) || !(T >= tx) || !(meanRepeatSpend >= 0) || Double.isInfinite(T)
                || Double.isInfinite(meanRepeatSpend)) {
            throw new IllegalArgumentException("invalid customer summary x=" + x + ", t_x=" + tx + ", T=" + T
                    + ", mean repeat spend=" + meanRepeatSpend + " (need x >= 0, 0 <= t_x <= T, spend >= 0)");
        }
        if (x == 0 && tx != 0) {
            throw new IllegalArgumentException("a customer without repeat purchases has t_x = 0, got " + tx);
        }
    }

    /**
     * The summary of the purchases made before {@code untilExclusive} (epoch milliseconds), in days: the last
     * observed day is the UTC day of {@code untilExclusive - 1}, so a calibration period ending at
     * 1997-10-01T00:00Z observes up to 1997-09-30, as the published CDNOW summaries do.
     *
     * @param times purchase times (epoch milliseconds), any order
     * @param cents purchase amounts in cents, aligned with {@code times}
     * @return the summary, or null when no purchase is before {@code untilExclusive}
     */
    public static CustomerSummary fromPurchases(long[] times, long[] cents, long untilExclusive) {
        if (times.length != cents.length) {
            throw new IllegalArgumentException("times and amounts differ in length");
        }
        long[][] byDay = new long[times.length][];
        int n = 0;
        for (int i = 0; i < times.length; i++) {
            if (times[i] < untilExclusive) {
                byDay[n++] = new long[] {Math.floorDiv(times[i], DAY_MS), cents[i]};
            }
        }
        if (n == 0) {
            return null;
        }
        long[][] purchases = Arrays.copyOf(byDay, n);
        Arrays.sort(purchases, (p, q) -> Long.compare(p[0], q[0]));
        long firstDay = purchases[0][0];
        long day = firstDay;
        int repeatDays = 0;
        long repeatCents = 0;
        for (long[] p : purchases) {
            if (p[0] != day) {
                day = p[0];
                repeatDays++;
            }
            if (p[0] != firstDay) {
                repeatCents += p[1];
            }
        }
        long lastObservedDay = Math.floorDiv(untilExclusive - 1, DAY_MS);
        double mean = repeatDays == 0 ? 0 : repeatCents / 100.0 / repeatDays;
        return new CustomerSummary(repeatDays, day - firstDay, lastObservedDay - firstDay, mean);
    }

    /** The same customer with time divided by {@code factor} (e.g. 7 for weeks from days). */
    public CustomerSummary timeScaled(double factor) {
        return new CustomerSummary(x, tx / factor, T / factor, meanRepeatSpend);
    }
}
