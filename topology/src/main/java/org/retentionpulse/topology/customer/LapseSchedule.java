package org.retentionpulse.topology.customer;

import java.util.List;
import org.retentionpulse.topology.alerts.DueIndex;

/**
 * When stream time reaches customers' lapses (contract section 7), for the CHURNED alert that ends their churn-risk
 * tracking. The metrics do not wait for it: a lapse is counted as soon as the events imply it
 * ({@link CustomerTimeline.Lapse}). Each customer has at most one entry, its pending lapse (the one after its latest
 * activity), in a time-ordered {@link DueIndex}: moved when an event moves the pending lapse (a later activity
 * retracts it), so an event costs at most one delete and one put and finding the lapses due touches only those
 * customers, never all of them. Driven by stream time on the record path, like the churn-risk checks, so replays and
 * restarts find the same lapses in the same order.
 */
final class LapseSchedule {
    /**
     * Lapse instant + customer_id -> empty (layout of {@link DueIndex}: 8-byte instant with the sign bit flipped,
     * big-endian, then the id in UTF-8). One entry per customer with a pending lapse, removed when stream time reaches
     * it or an activity moves it; empty under {@code churn.inactivity=none}.
     */
    static final String STORE = "customer-lapse-due";

    private final DueIndex due;
    /** Lapses before this instant are handled; the caller keeps it across restarts ({@link #resume}). */
    private long handledBefore = Long.MIN_VALUE;

    LapseSchedule(DueIndex due) {
        this.due = due;
    }

    /** Lapses before this instant are handled ({@code Long.MIN_VALUE}: none yet). */
    long handledBefore() {
        return handledBefore;
    }

    /**
     * After a restart: the lapses before {@code t} were handled. Without it the next scan would start at the first key
     * (behind the tombstones of every handled entry, on RocksDB), and an activity that moves a lapse before stream time
     * would be scheduled instead of handled at once, one record later than without the restart.
     */
    void resume(long t) {
        handledBefore = t;
    }

    /**
     * An event moved the customer's pending lapse from {@code before} to {@code after} (either may be null). Returns
     * true when the new one is already due (an out-of-order activity moved it before stream time): the caller handles
     * it at once instead of scheduling it.
     */
    boolean moved(String customerId, CustomerTimeline.Lapse before, CustomerTimeline.Lapse after) {
        long from = before == null ? Long.MIN_VALUE : before.at();
        long to = after == null ? Long.MIN_VALUE : after.at();
        if (from == to) {
            return false;
        }
        if (before != null) {
            due.cancel(customerId, from);
        }
        if (after == null) {
            return false;
        }
        if (to < handledBefore) {
            return true;
        }
        due.schedule(customerId, to);
        return false;
    }

    /**
     * The lapses at or before {@code t} not handled yet, earliest first, removed from the index (at the same instant a
     * lapse comes before any event, so an event at {@code t} sees the lapses at {@code t} done). Calls {@code handler}
     * for each.
     */
    void reach(long t, Handler handler) {
        if (t == Long.MAX_VALUE || t < handledBefore) {
            return;
        }
        long from = handledBefore;
        handledBefore = t + 1;
        for (List<DueIndex.Due> batch = due.dueBetween(from, t + 1); !batch.isEmpty(); batch = due.dueBetween(from, t + 1)) {
            for (DueIndex.Due d : batch) {
                due.cancel(d.customerId(), d.at());
                handler.lapsed(d.customerId(), d.at());
            }
        }
    }

    /** What to do with a lapse reached. */
    interface Handler {
        void lapsed(String customerId, long at);
    }
}
