package org.retentionpulse.topology.metrics;

import java.util.Map;
import org.retentionpulse.topology.delta.Counter;

/**
 * The inputs of every metric for one window and segment (docs/METRICS.md sections 4 and 8).
 *
 * @param activeAtStart S, customers active at the window start
 * @param totals the additive counts summed over the window's buckets, indexed by {@link Counter#ordinal()}
 * @param purchasers P1, customers with at least one purchase in the window
 * @param repeatPurchasers P2, customers with at least two
 * @param winBackPool L, customers in the win-back pool at the window start (section 8)
 * @param respondents RESP, distinct customers with a valid survey response in the window
 * @param churnedByReason C_r of the window, capped ({@code churn.reasons.cap}, the rest under {@code other}), in
 *                        record order; only reasons with churned customers
 */
public record WindowCounts(long activeAtStart, long[] totals, long purchasers, long repeatPurchasers, long winBackPool,
                           long respondents, Map<String, Long> churnedByReason) {

    public long get(Counter counter) {
        return totals[counter.ordinal()];
    }

    /** E = S + N - C: active at the window end. */
    public long activeAtEnd() {
        return activeAtStart + get(Counter.SIGNUPS) - get(Counter.CANCELLATIONS);
    }

    public boolean hasEvents() {
        return get(Counter.EVENTS) > 0;
    }
}
