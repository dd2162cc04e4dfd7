package org.retentionpulse.topology.customer;

import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.topology.metrics.SegmentDelta;

/** What the customer stage emits: segment deltas for the segment stage, or events that arrived too late. */
public sealed interface CustomerOutput {

    /** Changes to the segment aggregates, with the task's watermark. */
    record Delta(SegmentDelta delta) implements CustomerOutput {
    }

    /** An event beyond grace for every window it belongs to (it still updated the customer's state). */
    record Late(SpecificRecord event, String reason) implements CustomerOutput {
    }
}
