package org.retentionpulse.topology.customer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.model.PurchaseDays;

/**
 * Everything the customer stage keeps about one customer, in one store value so that an event costs one get,
 * one put and one changelog record: the {@link CustomerTimeline} (segment metrics), the churn-risk
 * {@link CustomerProfile} (null when not tracked: never had an event the tracker kept, or expired), and the
 * ids of the customer's recent events for the duplicate check, and its {@link PurchaseDays} (the
 * customer-lifetime model's summary; null before the first purchase). The value of {@link CustomerProcessor#STATE_STORE}.
 *
 * <p>Dedup is per customer: a second event with the same id for the same customer is a duplicate; the same id
 * for two customers is two events (input topics are keyed by customer, so this was already the case per
 * partition; see ARCHITECTURE.md, known limits).
 */
public final class CustomerState {
    private final CustomerTimeline timeline;
    private final ArrayList<SeenEvent> seen;
    private CustomerProfile profile;
    /** The customer's cohort cells (contract section 9), or null before its first effective start. */
    private CohortLedger cohort;
    private PurchaseDays purchases;

    /** An accepted event's id and event time, kept while a copy of it could still be a duplicate. */
    public record SeenEvent(String eventId, long at) {
    }

    public CustomerState() {
        this(new CustomerTimeline(), List.of(), null);
    }

    public CustomerState(CustomerTimeline timeline, List<SeenEvent> seen, CustomerProfile profile) {
        this(timeline, seen, profile, null);
    }

    public CustomerState(CustomerTimeline timeline, List<SeenEvent> seen, CustomerProfile profile, PurchaseDays purchases) {
        this.timeline = timeline;
        this.seen = new ArrayList<>(seen);
        this.profile = profile;
        this.purchases = purchases;
    }

    public CustomerTimeline timeline() {
        return timeline;
    }

    /** The churn-risk profile, or null when the customer is not tracked. */
    public CustomerProfile profile() {
        return profile;
    }

    public void profile(CustomerProfile profile) {
        this.profile = profile;
    }

    /** The customer's part of the cohort table, or null before its first effective start. */
    public CohortLedger cohort() {
        return cohort;
    }

    public void cohort(CohortLedger ledger) {
        this.cohort = ledger;
    }

    /** The model's summary of every accepted purchase (kept for good, like the base lifecycle), or null without any. */
    public PurchaseDays purchases() {
        return purchases;
    }

    /**
     * Adds an accepted purchase to the summary. Whether a day strictly between the first and last purchase day
     * already had a purchase is answered from the timeline, which has every event of the last two horizons: exact
     * for a purchase less than twice the horizon late, counted as a new day otherwise (ARCHITECTURE.md, known limits).
     * Call before the purchase is inserted into the timeline.
     */
    void addPurchase(long at, long cents) {
        if (purchases == null) {
            purchases = PurchaseDays.first(at, cents);
            return;
        }
        purchases.add(at, cents, timeline::hasPurchaseOn);
    }

    /** Ids of accepted events, in arrival order, within the dedup horizon as of the last write. */
    public List<SeenEvent> seen() {
        return Collections.unmodifiableList(seen);
    }

    /**
     * Whether an event with this id and time is a copy of one kept: same id, event times at most the horizon
     * apart, and the kept one not expired (its time more than the horizon before stream time) -- what the
     * former window store of ids with retention = horizon answered.
     */
    boolean isDuplicate(String eventId, long at, long horizonMs, long streamTime) {
        for (SeenEvent e : seen) {
            if (e.eventId().equals(eventId) && Math.abs(e.at() - at) <= horizonMs && !expired(e, horizonMs, streamTime)) {
                return true;
            }
        }
        return false;
    }

    /** Remembers an accepted event's id, then forgets those no copy can match any more. */
    void remember(String eventId, long at, long horizonMs, long streamTime) {
        seen.add(new SeenEvent(eventId, at));
        seen.removeIf(e -> expired(e, horizonMs, streamTime));
    }

    private static boolean expired(SeenEvent e, long horizonMs, long streamTime) {
        return streamTime != Long.MIN_VALUE && e.at() <= streamTime - horizonMs;
    }
}
