package org.retentionpulse.topology.event;

/**
 * A control record, not an event: advances the stream time of the input partition it was written to.
 *
 * @param at the instant stream time moves to (epoch ms)
 * @param endOfInput the input is complete up to here (a replay's end): it closes windows, but is no evidence
 *     that customers were silent until then, so churn-risk tracking does not advance on it
 */
public record Tick(long at, boolean endOfInput) implements InputRecord {
}
