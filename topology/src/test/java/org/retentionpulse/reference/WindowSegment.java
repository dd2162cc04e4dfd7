package org.retentionpulse.reference;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** One window of one spec, seen from one segment: the unit the counts of section 4 are kept for. */
public record WindowSegment(String window, String segment, Instant windowStart) implements Comparable<WindowSegment> {

    private static final Comparator<WindowSegment> ORDER = Comparator.comparing(WindowSegment::window)
            .thenComparing(WindowSegment::windowStart)
            .thenComparing(WindowSegment::segment);

    public WindowSegment {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(windowStart, "windowStart");
    }

    /** The key of {@code metric} for this window and segment. */
    public MetricKey metricKey(String metric) {
        return new MetricKey(metric, window, segment, windowStart);
    }

    /** The key of {@code churn_reason_share} for {@code reason} in this window and segment. */
    public MetricKey metricKey(String metric, String reason) {
        return new MetricKey(metric, window, segment, windowStart, reason);
    }

    @Override
    public int compareTo(WindowSegment other) {
        return ORDER.compare(this, other);
    }
}
