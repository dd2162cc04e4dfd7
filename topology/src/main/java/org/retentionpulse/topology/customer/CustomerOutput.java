package org.retentionpulse.topology.customer;

import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.topology.metrics.SegmentDelta;

/**
 * What the customer stage emits: segment deltas for the segment stage, every accepted event (and every
 * advance of stream time) for churn-risk tracking, and events that arrived too late.
 */
public sealed interface CustomerOutput {

    /** Changes to the segment aggregates, with the task's watermark. */
    record Delta(SegmentDelta delta) implements CustomerOutput {
    }

    /**
     * An accepted (not duplicate) event, late ones included, or a pure advance of stream time when
     * {@code event} is null; {@code streamTime} is the task's stream time after it.
     *
     * @param endOfInput the advance comes from an end-of-input tick: it closes windows, but says nothing about
     *     customers having been silent until then
     */
    record Observed(SpecificRecord event, long streamTime, boolean endOfInput) implements CustomerOutput {
    }

    /** An event beyond grace for every window it belongs to (it still updated the customer's state). */
    record Late(SpecificRecord event, String reason) implements CustomerOutput {
    }
}
