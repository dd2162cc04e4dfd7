package org.retentionpulse.reference;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * The compaction key of a metric update record: metric name, window spec text (e.g. {@code P1D/P1D}),
 * segment (e.g. {@code all}, {@code plan=pro}) and window start.
 */
public record MetricKey(String metric, String window, String segment, Instant windowStart)
        implements Comparable<MetricKey> {

    private static final Comparator<MetricKey> ORDER = Comparator.comparing(MetricKey::metric)
            .thenComparing(MetricKey::window)
            .thenComparing(MetricKey::segment)
            .thenComparing(MetricKey::windowStart);

    public MetricKey {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(windowStart, "windowStart");
    }

    @Override
    public int compareTo(MetricKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return metric + " " + window + " " + segment + " " + windowStart;
    }
}
