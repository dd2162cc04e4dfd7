package org.retentionpulse.topology.modelfit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.customer.Dimensions;
import org.retentionpulse.topology.customer.Segment;
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.ModelPolicy;

/**
 * Whether and how the customer stage fits the customer-lifetime model on its own customers.
 *
 * @param policy horizon, LOW_P_ALIVE threshold and weight, the most customers one fit uses
 * @param interval the fit schedule in event time: a fit whenever the task's stream time crosses a multiple of it
 *                 since the epoch (default in the app P1D: at 00:00 UTC); {@link Duration#ZERO}: no model in the
 *                 stream, churn risk by the rules alone
 * @param segmentDimension the dimension whose values get fits of their own besides the overall one (empty: the
 *                         overall fit alone)
 * @param segmentMinRepeatBuyers a value is fitted when at least this many of the task's sampled customers with that
 *                               value have a repeat purchase: repeat buyers are what identifies the dropout
 *                               ({@code a}, {@code b}) and all of Gamma-Gamma; one-time buyers only inform
 *                               {@code r}, {@code alpha}
 */
public record ModelFitting(ModelPolicy policy, Duration interval, Optional<Dimension> segmentDimension,
        int segmentMinRepeatBuyers) {
    /** The default of {@link #segmentMinRepeatBuyers}: about half of CDNOW's 946 repeat buyers (README). */
    public static final int DEFAULT_SEGMENT_MIN_REPEAT_BUYERS = 500;

    public ModelFitting {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(segmentDimension, "segmentDimension");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("model fit interval must not be negative, got " + interval);
        }
        if (segmentMinRepeatBuyers < BgNbd.MIN_REPEAT_BUYERS) {
            throw new IllegalArgumentException("the repeat buyers a segment needs for a fit of its own must be at least "
                    + BgNbd.MIN_REPEAT_BUYERS + " (what a fit needs at all), got " + segmentMinRepeatBuyers);
        }
    }

    /** The overall fit alone. */
    public ModelFitting(ModelPolicy policy, Duration interval) {
        this(policy, interval, Optional.empty(), DEFAULT_SEGMENT_MIN_REPEAT_BUYERS);
    }

    /** No model in the stream (the topology's default; the app turns it on). */
    public static ModelFitting off() {
        return new ModelFitting(ModelPolicy.defaults(), Duration.ZERO);
    }

    public boolean enabled() {
        return !interval.isZero();
    }

    /**
     * The segment fit that would score this customer, {@code dimension=value} from its latest signup (as its
     * segment metrics; {@code unknown} before any, or for a null profile), or {@link ModelRefitter#OVERALL} without
     * a segment dimension. The one place that decides it.
     */
    public String segmentOf(CustomerProfile profile) {
        if (segmentDimension.isEmpty()) {
            return ModelRefitter.OVERALL;
        }
        Dimensions dimensions = profile == null ? Dimensions.NONE
                : new Dimensions(profile.plan(), profile.country(), profile.channel());
        return Segment.of(segmentDimension.get(), dimensions.value(segmentDimension.get()));
    }

    /** The latest fit instant at or before {@code t}. */
    long boundaryAtOrBefore(long t) {
        long ms = interval.toMillis();
        return Math.floorDiv(t, ms) * ms;
    }
}
