package org.retentionpulse.app.observability;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * For a reader of the metric-updates topic: which window of each spec is current now. The reader does not see
 * the pipeline's stream time, only windows, so it takes the greatest {@code window_start} seen per spec (of any
 * segment: the window opened by the current day) as the time and asks {@link WindowSpec#currentIndex} which
 * window is current. Based on window identity alone: which record of a window came last does not matter.
 * Not thread-safe.
 */
public final class CurrentWindows {
    /** window spec text -> (parsed spec, greatest window start seen in epoch ms). */
    private final Map<String, Newest> newest = new HashMap<>();

    private static final class Newest {
        final WindowSpec spec;
        long start = Long.MIN_VALUE;

        Newest(WindowSpec spec) {
            this.spec = spec;
        }
    }

    /** Notes the window of an update; true when the current window of its spec moved. */
    public boolean observe(MetricUpdate update) {
        Newest n = newest.computeIfAbsent(update.getWindow(), w -> new Newest(WindowSpec.parse(w)));
        long start = update.getWindowStart().toEpochMilli();
        if (start <= n.start) {
            return false;
        }
        long before = n.start == Long.MIN_VALUE ? Long.MIN_VALUE : n.spec.currentIndex(n.start);
        n.start = start;
        return n.spec.currentIndex(start) != before;
    }

    /** Start of the current window of a spec, or null before any update of it was seen. */
    public Instant currentStart(String window) {
        Newest n = newest.get(window);
        return n == null ? null : Instant.ofEpochMilli(n.spec.start(n.spec.currentIndex(n.start)));
    }

    /** The greatest window start seen over all specs (the day the pipeline's metrics have reached), or null before any. */
    public Instant newestStart() {
        return newest.values().stream().map(n -> n.start).max(Long::compare).map(Instant::ofEpochMilli).orElse(null);
    }

    /** Whether an update belongs to the current window of its spec. */
    public boolean isCurrent(MetricUpdate update) {
        return update.getWindowStart().equals(currentStart(update.getWindow()));
    }
}
