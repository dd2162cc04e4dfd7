package org.retentionpulse.reference;

import java.time.Duration;
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
 * Every customer's history replayed in event time (ties in arrival order): which signups, purchases and
 * cancellations were effective, the active periods they delimit, the lapses that ended some of them, and the
 * dimensions each event is attributed to.
 * Replaying from scratch is the point: an out-of-order event changes whether later-timestamped ones are effective,
 * and an out-of-order activity retracts a lapse.
 *
 * <p>With {@code churn.inactivity = D} (section 7) a purchase of a customer not active starts a period too, every
 * activity (purchase, effective signup) moves the lapse to {@code activity + D}, and a period still open when the
 * next event comes at or after its lapse instant ends there first (a lapse comes before any event at the same
 * instant); a period still open after the last event ends at its lapse (the end of input means no more events).
 */
final class Lifecycle {

    /**
     * How one event is counted: whether it was effective (an effective signup, an effective start by purchase, an
     * effective cancellation), whether it reactivated, its segment dimensions, the dimensions of the period before a
     * reactivation (its win-back pool segment) and, for an effective cancellation, its normalised reason.
     */
    record Outcome(boolean effective, boolean reactivation, Map<String, String> dimensions,
                   Map<String, String> poolDimensions, String reason) {
        static Outcome attributed(Map<String, String> dimensions) {
            return new Outcome(false, false, dimensions, null, null);
        }
    }

    /** A lapse (section 7): the end of an active period at {@code at}, counted in {@code dimensions}. */
    record Lapse(String customer, Instant at, Map<String, String> dimensions) {
    }

    /**
     * An active period opened by an effective start; {@code end} is the effective cancellation or lapse, or null.
     */
    private record Period(Instant start, Map<String, String> dimensions, Instant end) {
        Period closedAt(Instant at) {
            return new Period(start, dimensions, at);
        }
    }

    /** A customer's cohort (section 9): its first effective start and that start's dimensions. */
    record FirstStart(Instant at, Map<String, String> dimensions) {
    }

    private static final Comparator<Event> EVENT_TIME_ORDER =
            Comparator.comparing(Event::occurredAt).thenComparingLong(Event::arrival);

    private final Duration inactivity;
    private final Map<String, List<Period>> periodsByCustomer = new HashMap<>();
    private final Map<Event, Outcome> outcomes = new IdentityHashMap<>();
    private final Map<String, String> unknownDimensions = new HashMap<>();
    private final List<Lapse> lapses = new ArrayList<>();

    private Lifecycle(List<String> dimensions, Duration inactivity) {
        this.inactivity = inactivity;
        for (String dimension : dimensions) {
            unknownDimensions.put(dimension, EventDecoder.UNKNOWN);
        }
    }

    /** Section 4's lifecycle: signups start, cancellations end. */
    static Lifecycle replay(Collection<Event> events, List<String> dimensions) {
        return replay(events, dimensions, null);
    }

    /** @param inactivity section 7's D, or null for {@code none} */
    static Lifecycle replay(Collection<Event> events, List<String> dimensions, Duration inactivity) {
        Lifecycle lifecycle = new Lifecycle(dimensions, inactivity);
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
        Instant lastActivity = null;
        for (Event event : history) {
            Instant t = event.occurredAt();
            if (isOpen(periods) && inactivity != null && !lastActivity.plus(inactivity).isAfter(t)) {
                lapse(customer, periods, lastActivity.plus(inactivity));
            }
            boolean active = isOpen(periods);
            switch (event.kind()) {
                case SIGNUP -> {
                    if (active) {
                        attributedByTime.add(event);
                    } else {
                        start(event, periods, event.signupDimensions());
                        lastActivity = t;
                    }
                }
                case PURCHASE -> {
                    if (inactivity == null) {
                        attributedByTime.add(event);
                    } else if (active) {
                        attributedByTime.add(event);
                        lastActivity = t;
                    } else {
                        // Section 7: a purchase of a customer not active is an effective start, in the dimensions of
                        // its latest signup (all earlier periods start at or before t: replay is in time order).
                        start(event, periods, periods.isEmpty() ? unknownDimensions : last(periods).dimensions());
                        lastActivity = t;
                    }
                }
                case CANCELLATION -> {
                    if (active) {
                        Period open = periods.remove(periods.size() - 1);
                        periods.add(open.closedAt(t));
                        outcomes.put(event, new Outcome(true, false, open.dimensions(), null,
                                ChurnReasons.normalize(event.reason())));
                    } else {
                        attributedByTime.add(event);
                    }
                }
                case SURVEY -> attributedByTime.add(event);
            }
        }
        if (isOpen(periods) && inactivity != null) {
            lapse(customer, periods, lastActivity.plus(inactivity));
        }
        for (Event event : attributedByTime) {
            outcomes.put(event, Outcome.attributed(dimensionsAt(periods, event.occurredAt())));
        }
    }

    private void start(Event event, List<Period> periods, Map<String, String> dimensions) {
        Map<String, String> pool = periods.isEmpty() ? null : last(periods).dimensions();
        outcomes.put(event, new Outcome(true, !periods.isEmpty(), dimensions, pool, null));
        periods.add(new Period(event.occurredAt(), dimensions, null));
    }

    private void lapse(String customer, List<Period> periods, Instant at) {
        Period open = periods.remove(periods.size() - 1);
        periods.add(open.closedAt(at));
        lapses.add(new Lapse(customer, at, open.dimensions()));
    }

    private static boolean isOpen(List<Period> periods) {
        return !periods.isEmpty() && last(periods).end() == null;
    }

    private static Period last(List<Period> periods) {
        return periods.get(periods.size() - 1);
    }

    /** Dimensions of the latest effective start at or before {@code t}; all {@code unknown} without one. */
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

    /** Every lapse, including those due after the last event. */
    List<Lapse> lapses() {
        return lapses;
    }

    /** The customer's first effective start in event time, or null if it never started. */
    FirstStart firstStart(String customer) {
        List<Period> periods = periodsByCustomer.getOrDefault(customer, List.of());
        return periods.isEmpty() ? null : new FirstStart(periods.get(0).start(), periods.get(0).dimensions());
    }

    /**
     * Dimensions of {@code customer} if active at instant {@code x} (latest effective start strictly before x, not
     * ended strictly before x), else null.
     */
    Map<String, String> activeDimensionsAt(String customer, Instant x) {
        Period latest = latestStartedBefore(customer, x);
        if (latest == null || (latest.end() != null && latest.end().isBefore(x))) {
            return null;
        }
        return latest.dimensions();
    }

    /**
     * Dimensions of {@code customer} if it is in the win-back pool at instant {@code x} (section 8: not active at x,
     * its last active period ended strictly before x), else null.
     */
    Map<String, String> poolDimensionsAt(String customer, Instant x) {
        Period latest = latestStartedBefore(customer, x);
        if (latest == null || latest.end() == null || !latest.end().isBefore(x)) {
            return null;
        }
        return latest.dimensions();
    }

    private Period latestStartedBefore(String customer, Instant x) {
        Period latest = null;
        for (Period period : periodsByCustomer.getOrDefault(customer, List.of())) {
            if (!period.start().isBefore(x)) {
                break;
            }
            latest = period;
        }
        return latest;
    }
}
