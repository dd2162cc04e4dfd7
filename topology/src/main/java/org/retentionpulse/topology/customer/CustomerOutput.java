package org.retentionpulse.topology.customer;

import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.topology.event.CustomerEvent;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.modelfit.FittedModel;

/**
 * What the customer stage emits: segment deltas for the segment stage, churn-risk alerts, events that
 * arrived too late, and the task's customer-lifetime model fits.
 */
public sealed interface CustomerOutput {

    /** Changes to the segment aggregates, with the task's watermark. */
    record Delta(SegmentDelta delta) implements CustomerOutput {
    }

    /** A churn-risk alert, keyed by customer id, with the source-timestamp header. */
    record Alert(ChurnRiskAlert alert) implements CustomerOutput {
    }

    /** An event beyond grace for every window it belongs to (it still updated the customer's state). */
    record Late(CustomerEvent event, String reason) implements CustomerOutput {
    }

    /** A new fit of the task's customer-lifetime model, keyed {@code segment|partition}. */
    record Model(FittedModel model) implements CustomerOutput {
    }
}
