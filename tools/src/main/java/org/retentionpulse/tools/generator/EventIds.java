package org.retentionpulse.tools.generator;

/**
 * Hands out event and order ids in emission order: {@code e1, e2, ...} and {@code o1, o2, ...}, so a seed
 * always yields the same ids. Injected invalid records draw from their own sequence ({@code x1, xo1, ...}),
 * which keeps the clean events' ids the same whether faults are on or off.
 */
final class EventIds {

    private final String eventPrefix;
    private final String orderPrefix;
    private long events;
    private long orders;

    private EventIds(final String eventPrefix, final String orderPrefix) {
        this.eventPrefix = eventPrefix;
        this.orderPrefix = orderPrefix;
    }

    /** Ids of the clean events. */
    static EventIds clean() {
        return new EventIds("e", "o");
    }

    /** Ids of injected invalid records. */
    static EventIds injected() {
        return new EventIds("x", "xo");
    }

    String nextEventId() {
        return eventPrefix + ++events;
    }

    String nextOrderId() {
        return orderPrefix + ++orders;
    }
}
