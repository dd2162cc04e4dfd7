package org.retentionpulse.reference;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * The compaction key of a metric update record: metric name, window spec text (e.g. {@code P1D/P1D}),
 * segment (e.g. {@code all}, {@code plan=pro}), window start and, for {@code churn_reason_share} only, the reason
 * (null for every other metric).
 */
public record MetricKey(String metric, String window, String segment, Instant windowStart, String reason)
        implements Comparable<MetricKey> {

    private static final Comparator<MetricKey> ORDER = Comparator.comparing(MetricKey::metric)
            .thenComparing(MetricKey::window)
            .thenComparing(MetricKey::segment)
            .thenComparing(MetricKey::windowStart)
            .thenComparing(MetricKey::reason, Comparator.nullsFirst(Comparator.naturalOrder()));

    public MetricKey {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(windowStart, "windowStart");
    }

    /** The key of a metric without a reason. */
    public MetricKey(String metric, String window, String segment, Instant windowStart) {
        this(metric, window, segment, windowStart, null);
    }

    @Override
    public int compareTo(MetricKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return metric + " " + window + " " + segment + " " + windowStart + (reason == null ? "" : " " + reason);
    }
}
