package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.customer.Segment;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.metrics.SegmentOwnership;

/** What the customer stage sends the segment stage per input record: one batch per segment partition, then the watermark. */
class SegmentBatchesTest {
    private static final long DAY = 86_400_000L;
    private static final List<String> SEGMENTS = List.of(Segment.ALL, "plan=pro", "country=DE", "channel=referral");

    private static SegmentDelta.Contribution contribution() {
        List<SegmentDelta.BucketChange> buckets = new ArrayList<>();
        for (String segment : SEGMENTS) {
            long[] counts = new long[Counter.COUNT];
            counts[Counter.ORDERS.ordinal()] = 1;
            buckets.add(new SegmentDelta.BucketChange(segment, 3 * DAY, counts));
        }
        return new SegmentDelta.Contribution(0, 3 * DAY, buckets,
                List.of(new SegmentDelta.CoverageChange("plan=pro", 0, 3, 1, 0, 0)),
                List.of(new SegmentDelta.ReasonChange("country=DE", 3 * DAY, "price", 1)), List.of(), 3 * DAY - 5);
    }

    @Test
    void withOneSegmentPartitionARecordIsOneBatchHoldingEverySegmentThenTheWatermark() {
        List<SegmentDelta> out = RetentionPulseTopology.byPartition(contribution(), 1);
        assertEquals(2, out.size());
        assertEquals(new SegmentDelta.Watermark(0, 3 * DAY, 3 * DAY - 5), out.get(1));
        SegmentDelta.Batch batch = (SegmentDelta.Batch) out.get(0);
        assertEquals(0, batch.partition());
        assertEquals(SEGMENTS, batch.changes().stream().map(SegmentDelta.Changes::segment).toList());
        assertEquals(1, batch.changes().get(1).coverage().size(), "plan=pro keeps its purchaser entry");
        assertEquals(1, batch.changes().get(2).reasons().size(), "country=DE keeps its churn reason entry");
    }

    @Test
    void eachPartitionGetsTheSegmentsItOwnsAndSegmentAllAtMostOneRecordEach() {
        for (int n = 2; n <= 5; n++) {
            List<SegmentDelta> all = RetentionPulseTopology.byPartition(contribution(), n);
            assertEquals(new SegmentDelta.Watermark(0, 3 * DAY, 3 * DAY - 5), all.get(all.size() - 1), "the watermark after the changes");
            List<SegmentDelta> out = all.subList(0, all.size() - 1);
            assertEquals(n, out.size(), "segment all goes to every partition, so each gets one batch");
            for (SegmentDelta d : out) {
                SegmentDelta.Batch batch = (SegmentDelta.Batch) d;
                for (SegmentDelta.Changes c : batch.changes()) {
                    assertTrue(c.segment().equals(Segment.ALL) || SegmentOwnership.partitionOf(c.segment(), n) == batch.partition(),
                            c.segment() + " in the batch of " + batch.partition());
                }
                assertEquals(Segment.ALL, batch.changes().get(0).segment());
            }
            long owned = out.stream().mapToLong(d -> ((SegmentDelta.Batch) d).changes().size() - 1).sum();
            assertEquals(SEGMENTS.size() - 1, owned, "every other segment once, in its owner's batch");
        }
    }

    @Test
    void aWatermarkPassesThroughToEveryPartition() {
        SegmentDelta watermark = new SegmentDelta.Watermark(1, 5 * DAY, 5 * DAY);
        assertEquals(List.of(watermark), RetentionPulseTopology.byPartition(watermark, 3));
    }
}
