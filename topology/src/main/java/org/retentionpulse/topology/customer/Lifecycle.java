package org.retentionpulse.topology.customer;

/**
 * Where a customer stands between two of its events: active or not, whether it ever had an effective
 * signup (so the next one is a reactivation), and the dimensions of its latest effective signup.
 */
public record Lifecycle(boolean active, boolean everSignedUp, Dimensions dimensions) {
    public static final Lifecycle NEW = new Lifecycle(false, false, Dimensions.NONE);

    /** How an event at this point of the lifecycle counts. */
    public Fact factOf(TimelineEntry entry) {
        return switch (entry.kind()) {
            case SIGNUP -> active
                    ? new Fact(dimensions, false, false)
                    : new Fact(entry.signupDimensions(), true, everSignedUp);
            case CANCELLATION -> new Fact(dimensions, active, false);
            case PURCHASE, SURVEY -> new Fact(dimensions, true, false);
        };
    }

    /** The lifecycle right after the event. */
    public Lifecycle after(TimelineEntry entry) {
        return switch (entry.kind()) {
            case SIGNUP -> active ? this : new Lifecycle(true, true, entry.signupDimensions());
            case CANCELLATION -> active ? new Lifecycle(false, everSignedUp, dimensions) : this;
            case PURCHASE, SURVEY -> this;
        };
    }

    /**
     * How one event counts: in the segments of {@code dimensions}; {@code effective} false for an ignored
     * signup or cancellation; {@code reactivation} for an effective signup of a returning customer.
     */
    public record Fact(Dimensions dimensions, boolean effective, boolean reactivation) {
    }
}
