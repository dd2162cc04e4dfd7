package org.retentionpulse.reference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counts one window per segment from a replayed history, and keeps the segments that get a final record:
 * those with at least one event of the window attributed to them or with customers active at the window start,
 * and, when the metrics of section 8 are published, those with customers in the win-back pool at the start.
 *
 * <p>Which windows get records: under section 4 alone, a window with at least one event counted in it; under
 * {@code churn.inactivity} every window stream time has reached, since customers lapse in windows without events
 * (this is what the contract's {@code shop} example expects: its quiet days 01-10, 01-11, 01-18 and 01-19 have
 * records).
 */
final class WindowTally {

    static final String ALL = "all";

    private WindowTally() {
    }

    /**
     * @param events every event that arrived before the window closed; those inside it are exactly the ones
     *               counted in it, the others only shape who is active at its start and end
     */
    static SortedMap<WindowSegment, SegmentCounts> count(Window window, Lifecycle lifecycle,
                                                         Collection<Event> events, List<String> dimensions,
                                                         ReferenceRules rules) {
        Map<String, SegmentCounts> bySegment = new TreeMap<>();
        Instant start = window.start();
        Instant end = window.end();
        for (String customer : lifecycle.customers()) {
            Map<String, String> atStart = lifecycle.activeDimensionsAt(customer, start);
            if (atStart != null) {
                segments(atStart, dimensions).forEach(g -> counts(bySegment, g).countActiveAtStart());
            }
            Map<String, String> atEnd = lifecycle.activeDimensionsAt(customer, end);
            if (atEnd != null) {
                segments(atEnd, dimensions).forEach(g -> counts(bySegment, g).countActiveAtEnd());
            }
            Map<String, String> inPool = lifecycle.poolDimensionsAt(customer, start);
            if (inPool != null) {
                segments(inPool, dimensions).forEach(g -> counts(bySegment, g).countInWinBackPool());
            }
        }
        for (Lifecycle.Lapse lapse : lifecycle.lapses()) {
            if (window.contains(lapse.at())) {
                segments(lapse.dimensions(), dimensions).forEach(g -> counts(bySegment, g).countLapse());
            }
        }
        for (Event event : events) {
            if (window.contains(event.occurredAt())) {
                Lifecycle.Outcome outcome = lifecycle.outcome(event);
                segments(outcome.dimensions(), dimensions).forEach(g -> counts(bySegment, g).count(event, outcome));
                if (outcome.reactivation()) {
                    segments(outcome.poolDimensions(), dimensions).forEach(g -> counts(bySegment, g).countWinBack());
                }
            }
        }
        SortedMap<WindowSegment, SegmentCounts> emitted = new TreeMap<>();
        SegmentCounts all = bySegment.get(ALL);
        if (all == null || (!rules.lapses() && !all.hasEvents())) {
            return emitted;
        }
        bySegment.forEach((segment, counts) -> {
            if (counts.hasEvents() || counts.activeAtStart() > 0
                    || (rules.moreMetrics() && counts.winBackPool() > 0)) {
                emitted.put(new WindowSegment(window.spec().text(), segment, start), counts);
            }
        });
        return emitted;
    }

    /** {@code all} plus {@code dimension=value} for each configured dimension. */
    static List<String> segments(Map<String, String> values, List<String> dimensions) {
        List<String> segments = new ArrayList<>(dimensions.size() + 1);
        segments.add(ALL);
        for (String dimension : dimensions) {
            segments.add(dimension + "=" + values.getOrDefault(dimension, EventDecoder.UNKNOWN));
        }
        return segments;
    }

    private static SegmentCounts counts(Map<String, SegmentCounts> bySegment, String segment) {
        return bySegment.computeIfAbsent(segment, g -> new SegmentCounts());
    }
}
