package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.customer.Segment;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.metrics.SegmentOwnership;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/** What the customer stage sends the segment stage per input record: one batch per partition, watermarks at closing points. */
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
                List.of(new SegmentDelta.CoverageChange("plan=pro", 0, 3, 1, 0)));
    }

    @Test
    void withOneSegmentPartitionARecordIsOneBatchHoldingEverySegment() {
        List<SegmentDelta> out = RetentionPulseTopology.byPartition(contribution(), 1);
        assertEquals(1, out.size());
        SegmentDelta.Batch batch = (SegmentDelta.Batch) out.get(0);
        assertEquals(0, batch.partition());
        assertEquals(SEGMENTS, batch.changes().stream().map(SegmentDelta.Changes::segment).toList());
        assertEquals(1, batch.changes().get(1).coverage().size(), "plan=pro keeps its purchaser entry");
    }

    @Test
    void eachPartitionGetsTheSegmentsItOwnsAndSegmentAllAtMostOneRecordEach() {
        for (int n = 2; n <= 5; n++) {
            List<SegmentDelta> out = RetentionPulseTopology.byPartition(contribution(), n);
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
        SegmentDelta watermark = new SegmentDelta.Watermark(1, 5 * DAY);
        assertEquals(List.of(watermark), RetentionPulseTopology.byPartition(watermark, 3));
    }

    @Test
    void streamTimesWithTheSameNextClosingPointCloseTheSameWindows() {
        WindowSet windows = new WindowSet(List.of(WindowSpec.parse("P1D/P1D"), WindowSpec.parse("P7D/P1D"),
                WindowSpec.parse("PT12H/PT6H")), Duration.ofHours(6));
        long hour = 3_600_000L;
        assertEquals(3 * DAY + 18 * hour, windows.nextClosingPoint(3 * DAY + 12 * hour + 1),
                "PT12H/PT6H windows end every 6 h and close 6 h later: 12:00 has just passed, 18:00 is next");
        WindowSet daily = new WindowSet(List.of(WindowSpec.parse("P1D/P1D"), WindowSpec.parse("P30D/P1D")), Duration.ofHours(6));
        assertEquals(4 * DAY + 6 * hour, daily.nextClosingPoint(3 * DAY + 12 * hour),
                "daily windows end at midnight and close 6 h later");
        assertEquals(3 * DAY + 6 * hour, daily.nextClosingPoint(3 * DAY + 6 * hour), "a window closes once stream time is past its point");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long a = random.nextLong(0, 400 * DAY);
            long b = a + random.nextLong(0, DAY);
            boolean same = windows.nextClosingPoint(a) == windows.nextClosingPoint(b);
            boolean sameClosed = true;
            for (WindowSpec spec : windows.specs()) {
                sameClosed &= windows.firstOpenIndex(spec, a) == windows.firstOpenIndex(spec, b);
            }
            assertTrue(!same || sameClosed, "same next closing point, same windows closed: " + a + ", " + b);
            assertTrue(windows.nextClosingPoint(a) >= a, "a closing point not yet passed");
        }
    }
}
