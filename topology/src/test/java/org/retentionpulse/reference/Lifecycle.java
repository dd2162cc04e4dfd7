package org.retentionpulse.reference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every customer's history replayed in event time (ties in arrival order): which signups and cancellations were
 * effective, the active periods they delimit, and the dimensions each event is attributed to.
 * Replaying from scratch is the point: an out-of-order event changes whether later-timestamped ones are effective.
 */
final class Lifecycle {

    /** How one event is counted: whether it was effective, whether it reactivated, and its segment dimensions. */
    record Outcome(boolean effective, boolean reactivation, Map<String, String> dimensions) {
    }

    /** An active period opened by an effective signup; {@code end} is the effective cancellation or null. */
    private record Period(Instant start, Map<String, String> dimensions, Instant end) {
        Period closedAt(Instant cancellation) {
            return new Period(start, dimensions, cancellation);
        }
    }

    private static final Comparator<Event> EVENT_TIME_ORDER =
            Comparator.comparing(Event::occurredAt).thenComparingLong(Event::arrival);

    private final Map<String, List<Period>> periodsByCustomer = new HashMap<>();
    private final Map<Event, Outcome> outcomes = new IdentityHashMap<>();
    private final Map<String, String> unknownDimensions = new HashMap<>();

    private Lifecycle(List<String> dimensions) {
        for (String dimension : dimensions) {
            unknownDimensions.put(dimension, EventDecoder.UNKNOWN);
        }
    }

    static Lifecycle replay(Collection<Event> events, List<String> dimensions) {
        Lifecycle lifecycle = new Lifecycle(dimensions);
        Map<String, List<Event>> byCustomer = new HashMap<>();
        for (Event event : events) {
            byCustomer.computeIfAbsent(event.customerId(), c -> new ArrayList<>()).add(event);
        }
        byCustomer.forEach((customer, history) -> {
            history.sort(EVENT_TIME_ORDER);
            lifecycle.replayCustomer(customer, history);
        });
        return lifecycle;
    }

    private void replayCustomer(String customer, List<Event> history) {
        List<Period> periods = new ArrayList<>();
        periodsByCustomer.put(customer, periods);
        // First the lifecycle itself; other events are attributed afterwards because "latest effective signup at or
        // before t" may be a signup at the same instant that arrived later.
        List<Event> attributedByTime = new ArrayList<>();
        for (Event event : history) {
            boolean active = !periods.isEmpty() && periods.get(periods.size() - 1).end() == null;
            switch (event.kind()) {
                case SIGNUP -> {
                    if (active) {
                        attributedByTime.add(event);
                    } else {
                        outcomes.put(event, new Outcome(true, !periods.isEmpty(), event.signupDimensions()));
                        periods.add(new Period(event.occurredAt(), event.signupDimensions(), null));
                    }
                }
                case CANCELLATION -> {
                    if (active) {
                        Period open = periods.remove(periods.size() - 1);
                        periods.add(open.closedAt(event.occurredAt()));
                        outcomes.put(event, new Outcome(true, false, open.dimensions()));
                    } else {
                        attributedByTime.add(event);
                    }
                }
                case PURCHASE, SURVEY -> attributedByTime.add(event);
            }
        }
        for (Event event : attributedByTime) {
            outcomes.put(event, new Outcome(false, false, dimensionsAt(periods, event.occurredAt())));
        }
    }

    /** Dimensions of the latest effective signup at or before {@code t}; all {@code unknown} without one. */
    private Map<String, String> dimensionsAt(List<Period> periods, Instant t) {
        Map<String, String> dimensions = unknownDimensions;
        for (Period period : periods) {
            if (period.start().isAfter(t)) {
                break;
            }
            dimensions = period.dimensions();
        }
        return dimensions;
    }

    Outcome outcome(Event event) {
        Outcome outcome = outcomes.get(event);
        if (outcome == null) {
            throw new IllegalArgumentException("event was not replayed: " + event.eventId());
        }
        return outcome;
    }

    Set<String> customers() {
        return periodsByCustomer.keySet();
    }

    /**
     * Dimensions of {@code customer} if active at instant {@code x} (latest effective signup strictly before x, not
     * followed by an effective cancellation strictly before x), else null.
     */
    Map<String, String> activeDimensionsAt(String customer, Instant x) {
        Period latest = null;
        for (Period period : periodsByCustomer.getOrDefault(customer, List.of())) {
            if (!period.start().isBefore(x)) {
                break;
            }
            latest = period;
        }
        if (latest == null || (latest.end() != null && latest.end().isBefore(x))) {
            return null;
        }
        return latest.dimensions();
    }
}
