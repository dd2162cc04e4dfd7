package org.retentionpulse.topology.customer;

import org.retentionpulse.topology.policy.ChurnPolicy;

/**
 * Where a customer stands between two of its events: active or not, whether it ever had an active period (so the
 * next start is a reactivation), the dimensions of its latest effective signup and, under
 * {@code churn.inactivity = D} (contract section 7), the instant of its last activity (purchase or effective
 * signup), from which it lapses at {@code lastActivity + D}. The one place that decides what an event does to a
 * customer's lifecycle.
 *
 * @param everSignedUp whether the customer ever had an active period (started by a signup, or under D by a purchase)
 * @param lastActivity under D the last activity of the current or latest period; {@link #NO_ACTIVITY} under
 *                     {@code none}, so that the stored value of a subscription customer does not change
 */
public record Lifecycle(boolean active, boolean everSignedUp, Dimensions dimensions, long lastActivity) {
    public static final long NO_ACTIVITY = Long.MIN_VALUE;
    public static final Lifecycle NEW = new Lifecycle(false, false, Dimensions.NONE, NO_ACTIVITY);

    public Lifecycle(boolean active, boolean everSignedUp, Dimensions dimensions) {
        this(active, everSignedUp, dimensions, NO_ACTIVITY);
    }

    /**
     * The instant this lifecycle lapses if no activity comes strictly before it (section 7), or
     * {@link #NO_ACTIVITY}: not active, or {@code churn.inactivity = none}.
     */
    public long lapseAt(ChurnPolicy.Inactivity inactivity) {
        if (!active || lastActivity == NO_ACTIVITY) {
            return NO_ACTIVITY;
        }
        return inactivity.lapseAt(lastActivity).orElse(NO_ACTIVITY);
    }

    /**
     * The lifecycle as an event at {@code t} finds it: lapsed first if its lapse instant is at or before {@code t}
     * (at the same instant a lapse comes before any event, so an activity at exactly the lapse is a reactivation).
     */
    public Lifecycle asOf(long t, ChurnPolicy.Inactivity inactivity) {
        long lapse = lapseAt(inactivity);
        return lapse != NO_ACTIVITY && lapse <= t ? new Lifecycle(false, everSignedUp, dimensions, lastActivity) : this;
    }

    /** How an event at this point of the lifecycle (already {@link #asOf} its time) counts. */
    public Fact factOf(TimelineEntry entry, ChurnPolicy.Inactivity inactivity) {
        return switch (entry.kind()) {
            case SIGNUP -> active
                    ? Fact.attributed(dimensions)
                    : start(entry.signupDimensions());
            case CANCELLATION -> active ? new Fact(dimensions, true, false, null) : Fact.attributed(dimensions);
            // Section 7: under D a purchase of a customer not active is an effective start, in its latest signup's dimensions.
            case PURCHASE -> !active && inactivity.lapses() ? start(dimensions) : Fact.attributed(dimensions);
            case SURVEY -> Fact.attributed(dimensions);
        };
    }

    private Fact start(Dimensions startDimensions) {
        return new Fact(startDimensions, true, everSignedUp, everSignedUp ? dimensions : null);
    }

    /** The lifecycle right after the event (this lifecycle already {@link #asOf} its time). */
    public Lifecycle after(TimelineEntry entry, ChurnPolicy.Inactivity inactivity) {
        long activity = inactivity.lapses() ? entry.time() : NO_ACTIVITY;
        return switch (entry.kind()) {
            case SIGNUP -> active ? this : new Lifecycle(true, true, entry.signupDimensions(), activity);
            case CANCELLATION -> active ? new Lifecycle(false, everSignedUp, dimensions, lastActivity) : this;
            case PURCHASE -> !inactivity.lapses() ? this
                    : active ? new Lifecycle(true, true, dimensions, Math.max(lastActivity, activity))
                    : new Lifecycle(true, true, dimensions, activity);
            case SURVEY -> this;
        };
    }

    /**
     * How one event counts: in the segments of {@code dimensions}; {@code effective} for an effective signup or
     * cancellation and, under {@code churn.inactivity}, a purchase that starts an active period (false for an
     * ignored signup or cancellation and for other purchases and surveys); {@code reactivation} for an effective
     * start of a customer that had been active before, whose previous period's dimensions are
     * {@code poolDimensions} (its win-back pool segment, section 8), null otherwise.
     */
    public record Fact(Dimensions dimensions, boolean effective, boolean reactivation, Dimensions poolDimensions) {
        /** An event that does not change the lifecycle, counted in these dimensions. */
        public static Fact attributed(Dimensions dimensions) {
            return new Fact(dimensions, false, false, null);
        }
    }
}
