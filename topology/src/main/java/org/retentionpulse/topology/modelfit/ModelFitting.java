package org.retentionpulse.topology.modelfit;

import java.time.Duration;
import java.util.Objects;
import org.retentionpulse.topology.model.ModelPolicy;

/**
 * Whether and how the customer stage fits the customer-lifetime model on its own customers.
 *
 * @param policy horizon, LOW_P_ALIVE threshold and weight, the most customers one fit uses
 * @param interval the fit schedule in event time: a fit whenever the task's stream time crosses a multiple of it
 *                 since the epoch (default in the app P1D: at 00:00 UTC); {@link Duration#ZERO}: no model in the
 *                 stream, churn risk by the rules alone
 */
public record ModelFitting(ModelPolicy policy, Duration interval) {

    public ModelFitting {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("model fit interval must not be negative, got " + interval);
        }
    }

    /** No model in the stream (the topology's default; the app turns it on). */
    public static ModelFitting off() {
        return new ModelFitting(ModelPolicy.defaults(), Duration.ZERO);
    }

    public boolean enabled() {
        return !interval.isZero();
    }

    /** The latest fit instant at or before {@code t}. */
    long boundaryAtOrBefore(long t) {
        long ms = interval.toMillis();
        return Math.floorDiv(t, ms) * ms;
    }
}
