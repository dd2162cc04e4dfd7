package org.retentionpulse.topology.confidence;

import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.metrics.Metric;

/**
 * Sets {@code ci_low} / {@code ci_high} of metric updates from their components at publication (never per event).
 * Thread-safe.
 */
public final class MetricIntervals {
    private final ConfidenceLevel level;

    public MetricIntervals(ConfidenceLevel level) {
        this.level = level;
    }

    /** Sets the interval of {@code update} (of {@code metric}), or leaves both bounds null where there is none. */
    public MetricUpdate annotate(Metric metric, MetricUpdate update) {
        Interval interval = interval(MetricSamples.of(metric, update.getComponents()));
        update.setCiLow(interval == null ? null : interval.low());
        update.setCiHigh(interval == null ? null : interval.high());
        return update;
    }

    /** The interval of {@code sample} at this level; null for no sample or where the spec says null. */
    public Interval interval(Sample sample) {
        return sample == null ? null : sample.interval(level);
    }

    public ConfidenceLevel level() {
        return level;
    }
}
