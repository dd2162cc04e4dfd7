package org.retentionpulse.topology.customer;

import java.util.Locale;

/**
 * Why an accepted event went to the late-events topic. The {@link #code()} is stable: it is the value of the
 * {@link CustomerProcessor#LATE_REASON_HEADER} header and names its counter ({@code late-events-beyond-grace}),
 * so renaming a constant is a breaking change. A human-readable explanation travels beside it in
 * {@link CustomerProcessor#LATE_DETAIL_HEADER}.
 */
public enum LateReason {
    /**
     * The task's stream time had passed {@code end + grace} of every window (of every spec) that contains the
     * event's time: it is left out of the metrics, and still updates the customer's state.
     */
    BEYOND_GRACE;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The lower_snake code used in the late-events header and metric tags, e.g. {@code beyond_grace}. */
    public String code() {
        return code;
    }
}
