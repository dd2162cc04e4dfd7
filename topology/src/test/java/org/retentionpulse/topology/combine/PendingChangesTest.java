package org.retentionpulse.topology.combine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.customer.Segment;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.metrics.SegmentOwnership;

/** What a customer task sends the segment stage for the records it combined: sums, one batch per segment partition. */
class PendingChangesTest {
    private static final long DAY = 86_400_000L;
    private static final List<String> SEGMENTS = List.of(Segment.ALL, "channel=referral", "country=DE", "plan=pro");

    private static SegmentDelta.Contribution purchase(long bucket, int orders) {
        List<SegmentDelta.BucketChange> buckets = new ArrayList<>();
        for (String segment : SEGMENTS) {
            long[] counts = new long[Counter.COUNT];
            counts[Counter.ORDERS.ordinal()] = orders;
            buckets.add(new SegmentDelta.BucketChange(segment, bucket, counts));
        }
        return new SegmentDelta.Contribution(0, bucket, buckets,
                List.of(new SegmentDelta.CoverageChange("plan=pro", 0, bucket / DAY, orders, 0, 0)),
                List.of(new SegmentDelta.ReasonChange("country=DE", bucket, "price", orders)),
                List.of(new SegmentDelta.CohortChange("plan=pro", 7, 1, 0, orders, orders, 100L * orders)), bucket);
    }

    @Test
    void withOneSegmentPartitionTheRecordsAreOneBatchOfSumsHoldingEverySegment() {
        PendingChanges pending = new PendingChanges();
        pending.add(purchase(3 * DAY, 1));
        pending.add(purchase(3 * DAY, 2));
        pending.add(purchase(4 * DAY, 1));
        List<SegmentDelta.Batch> out = pending.drain(1, 0);
        assertEquals(1, out.size());
        SegmentDelta.Batch batch = out.get(0);
        assertEquals(0, batch.partition());
        assertEquals(SEGMENTS, batch.changes().stream().map(SegmentDelta.Changes::segment).toList());
        SegmentDelta.Changes pro = batch.changes().get(3);
        assertEquals(List.of(3 * DAY, 4 * DAY), pro.buckets().stream().map(SegmentDelta.BucketChange::bucket).toList());
        assertEquals(3, pro.buckets().get(0).counts()[Counter.ORDERS.ordinal()], "two records' orders in one bucket summed");
        assertEquals(List.of(new SegmentDelta.CoverageChange("plan=pro", 0, 3, 3, 0, 0),
                new SegmentDelta.CoverageChange("plan=pro", 0, 4, 1, 0, 0)), pro.coverage());
        assertEquals(List.of(new SegmentDelta.CohortChange("plan=pro", 7, 1, 0, 4, 4, 400)), pro.cohorts());
        assertEquals(List.of(new SegmentDelta.ReasonChange("country=DE", 3 * DAY, "price", 3),
                new SegmentDelta.ReasonChange("country=DE", 4 * DAY, "price", 1)), batch.changes().get(2).reasons());
        assertTrue(pending.isEmpty(), "a drain empties it");
    }

    @Test
    void recordsThatCancelOutSendNothing() {
        PendingChanges pending = new PendingChanges();
        pending.add(purchase(3 * DAY, 2));
        pending.add(purchase(3 * DAY, -2));
        assertEquals(List.of(), pending.drain(2, 0));
    }

    @Test
    void eachPartitionGetsTheSegmentsItOwnsAndSegmentAllOneBatchEach() {
        for (int n = 2; n <= 5; n++) {
            PendingChanges pending = new PendingChanges();
            pending.add(purchase(3 * DAY, 1));
            pending.add(purchase(5 * DAY, 1));
            List<SegmentDelta.Batch> out = pending.drain(n, 0);
            assertEquals(n, out.size(), "segment all goes to every partition, so each gets one batch");
            for (SegmentDelta.Batch batch : out) {
                for (SegmentDelta.Changes c : batch.changes()) {
                    assertTrue(c.segment().equals(Segment.ALL) || SegmentOwnership.partitionOf(c.segment(), n) == batch.partition(),
                            c.segment() + " in the batch of " + batch.partition());
                }
                assertEquals(Segment.ALL, batch.changes().get(0).segment());
                assertArrayEquals(new long[] {3 * DAY, 5 * DAY},
                        batch.changes().get(0).buckets().stream().mapToLong(SegmentDelta.BucketChange::bucket).toArray());
            }
            long owned = out.stream().mapToLong(b -> b.changes().size() - 1).sum();
            assertEquals(SEGMENTS.size() - 1, owned, "every other segment once, in its owner's batch");
        }
    }
}
