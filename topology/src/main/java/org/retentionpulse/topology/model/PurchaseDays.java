package org.retentionpulse.topology.model;

import java.io.IOException;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;

/**
 * The running form of a customer's {@link CustomerSummary}, kept per customer in the stream: five numbers,
 * not the purchase list. Purchases are counted per UTC day (the CDNOW convention of {@link CustomerSummary}):
 * the first purchase day and what was spent on it, the last purchase day, the number of purchase days after the
 * first and what was spent on them.
 *
 * <p>Order-independent: a purchase before the first day makes the old first day a repeat day (its spend moves
 * to the repeat spend), one on the first or last day adds to that day. Only a purchase strictly between the two
 * needs to know whether its day already had a purchase; the caller answers that ({@link DayLookup}) from the
 * events it still has. Duplicates must be dropped before {@link #add}.
 */
public final class PurchaseDays {
    private static final long DAY_MS = 86_400_000L;

    private long firstDay;
    private long firstDayCents;
    private long lastDay;
    private int repeatDays;
    private long repeatCents;

    /** Whether the customer has another purchase (besides the one being added) on a UTC day (epoch day number). */
    @FunctionalInterface
    public interface DayLookup {
        boolean hadPurchaseOn(long epochDay);
    }

    private PurchaseDays(long firstDay, long firstDayCents, long lastDay, int repeatDays, long repeatCents) {
        this.firstDay = firstDay;
        this.firstDayCents = firstDayCents;
        this.lastDay = lastDay;
        this.repeatDays = repeatDays;
        this.repeatCents = repeatCents;
    }

    /** The days of a customer whose first known purchase is this one. */
    public static PurchaseDays first(long at, long cents) {
        long day = Math.floorDiv(at, DAY_MS);
        return new PurchaseDays(day, cents, day, 0, 0);
    }

    /** Adds an accepted purchase, in any order relative to the ones already added. */
    public void add(long at, long cents, DayLookup lookup) {
        long day = Math.floorDiv(at, DAY_MS);
        if (day < firstDay) {
            repeatDays++;
            repeatCents += firstDayCents;
            firstDay = day;
            firstDayCents = cents;
        } else if (day == firstDay) {
            firstDayCents += cents;
        } else if (day > lastDay) {
            repeatDays++;
            repeatCents += cents;
            lastDay = day;
        } else {
            repeatCents += cents;
            if (day != lastDay && !lookup.hadPurchaseOn(day)) {
                repeatDays++;
            }
        }
    }

    /** The epoch day of the first purchase. */
    public long firstDay() {
        return firstDay;
    }

    /**
     * The summary as observed at {@code at} (epoch ms, inclusive): age T counts to the UTC day of {@code at}.
     * {@link CustomerSummary#fromPurchases} of the same purchases with {@code untilExclusive = at + 1} is equal.
     */
    public CustomerSummary summaryAsOf(long at) {
        long observedDay = Math.max(lastDay, Math.floorDiv(at, DAY_MS));
        double mean = repeatDays == 0 ? 0 : repeatCents / 100.0 / repeatDays;
        return new CustomerSummary(repeatDays, lastDay - firstDay, observedDay - firstDay, mean);
    }

    /** Format: first day, first day's cents, last day - first day, repeat days, repeat cents (zig-zag varints). */
    public void write(Encoder out) throws IOException {
        out.writeLong(firstDay);
        out.writeLong(firstDayCents);
        out.writeLong(lastDay - firstDay);
        out.writeInt(repeatDays);
        out.writeLong(repeatCents);
    }

    public static PurchaseDays read(Decoder in) throws IOException {
        long first = in.readLong();
        long firstCents = in.readLong();
        long last = first + in.readLong();
        return new PurchaseDays(first, firstCents, last, in.readInt(), in.readLong());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PurchaseDays d && d.firstDay == firstDay && d.firstDayCents == firstDayCents
                && d.lastDay == lastDay && d.repeatDays == repeatDays && d.repeatCents == repeatCents;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(firstDay) * 31 + repeatDays;
    }

    @Override
    public String toString() {
        return "PurchaseDays[first=" + firstDay + ", firstCents=" + firstDayCents + ", last=" + lastDay + ", repeatDays="
                + repeatDays + ", repeatCents=" + repeatCents + "]";
    }
}
