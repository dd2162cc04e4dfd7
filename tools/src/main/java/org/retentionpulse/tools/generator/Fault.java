package org.retentionpulse.tools.generator;

/**
 * What, if anything, is wrong with a generated event on purpose. Events marked {@link #NONE},
 * {@link #OUT_OF_ORDER} or {@link #LATE} are valid; the others are rejected by the pipeline
 * ({@link #DUPLICATE} as a duplicate, the {@code INVALID_*} ones and {@link #NOT_JSON} into the dead-letter topic).
 */
public enum Fault {
    /** A valid event, written in event-time order. */
    NONE,
    /** A second copy of an event already written: same record, same event id. */
    DUPLICATE,
    /** A valid event written after newer events, but within the grace period. */
    OUT_OF_ORDER,
    /** A valid purchase or survey response written after every window it belongs to has closed. */
    LATE,
    /** A survey response whose score is outside its survey's range (NPS 0..10, CSAT and CES 1..5). */
    INVALID_SCORE,
    /** A purchase whose amount has three decimals; only expressible as a text line (see {@link GeneratedEvent#rawLine()}). */
    INVALID_AMOUNT_SCALE,
    /** A purchase with a negative amount. */
    NEGATIVE_AMOUNT,
    /** A purchase in a currency other than the reporting currency. */
    WRONG_CURRENCY,
    /** An event whose event id is empty. */
    MISSING_EVENT_ID,
    /** A line that is not JSON: a canonical event cut off in the middle (see {@link GeneratedEvent#rawLine()}). */
    NOT_JSON;

    /** Whether the pipeline must reject this event as invalid (dead-letter topic). */
    public boolean isInvalid() {
        return ordinal() >= INVALID_SCORE.ordinal();
    }

    /** Whether the event is valid but arrives after newer ones. */
    public boolean isDelayed() {
        return this == OUT_OF_ORDER || this == LATE;
    }
}
