package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.Counter;

/**
 * The inputs of every metric for one window and segment (docs/METRICS.md section 4).
 *
 * @param activeAtStart S, customers active at the window start
 * @param totals the additive counts summed over the window's buckets, indexed by {@link Counter#ordinal()}
 * @param purchasers P1, customers with at least one purchase in the window
 * @param repeatPurchasers P2, customers with at least two
 */
public record WindowCounts(long activeAtStart, long[] totals, long purchasers, long repeatPurchasers) {

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
