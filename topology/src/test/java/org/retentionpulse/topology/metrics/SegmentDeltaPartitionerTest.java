package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.Counter;

import org.retentionpulse.topology.delta.SegmentDelta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.serde.SegmentDeltaSerde;

/** Routing of the segment-deltas topic and its typed format. */
class SegmentDeltaPartitionerTest {
    private final SegmentDeltaPartitioner partitioner = new SegmentDeltaPartitioner();

    private static SegmentDelta.Changes changes(String segment) {
        long[] counts = new long[Counter.COUNT];
        counts[Counter.ORDERS.ordinal()] = 2;
        counts[Counter.REVENUE_CENTS.ordinal()] = 1_250;
        return new SegmentDelta.Changes(segment, List.of(new SegmentDelta.BucketChange(segment, 86_400_000L, counts)),
                List.of(new SegmentDelta.CoverageChange(segment, 1, 20_000L, 1, -1, 1)),
                List.of(new SegmentDelta.ReasonChange(segment, 86_400_000L, "too expensive", -1)),
                List.of(new SegmentDelta.CohortChange(segment, 2800L, 3, 1, 1, 0, 1_250)));
    }

    @Test
    void aBatchGoesToThePartitionItWasBuiltForTheOwnerTheHistoryLookupNames() {
        for (String segment : List.of("plan=pro", "plan=basic", "country=DE", "channel=referral", "plan=a|b")) {
            for (int n = 1; n <= 4; n++) {
                int owner = SegmentOwnership.partitionOf(segment, n);
                SegmentDelta.Batch batch = new SegmentDelta.Batch(owner, 0, List.of(changes(segment)));
                assertEquals(Set.of(owner), partitioner.partitions("t", SegmentDeltaPartitioner.keyOf(batch), batch, n).orElseThrow());
                assertEquals(Set.of(owner), MetricHistory.partitioner()
                        .partitions("t", MetricHistory.key("nps", "P1D/P1D", segment, 0), null, n).orElseThrow());
            }
        }
    }

    @Test
    void watermarksGoToEveryPartitionAndABatchForAPartitionThatIsNotThereIsRefused() {
        assertEquals(Set.of(0, 1, 2), partitioner.partitions("t", "", SegmentDelta.watermark(4, 123L, 100L), 3).orElseThrow());
        assertThrows(IllegalStateException.class,
                () -> partitioner.partitions("t", "3", new SegmentDelta.Batch(3, 0, List.of(changes("all"))), 3));
    }

    @Test
    void batchesAndWatermarksSurviveTheTopicFormatAndAPerRecordContributionNeverGoesOnIt() {
        SegmentDeltaSerde serde = new SegmentDeltaSerde();
        SegmentDelta.Batch sent = new SegmentDelta.Batch(1, 2, List.of(changes("country=FR"), changes("all")));
        SegmentDelta.Batch read = (SegmentDelta.Batch) serde.deserialize("t", serde.serialize("t", sent));
        assertEquals(1, read.partition());
        assertEquals(2, read.changes().size());
        for (int i = 0; i < 2; i++) {
            SegmentDelta.Changes a = sent.changes().get(i);
            SegmentDelta.Changes b = read.changes().get(i);
            assertEquals(a.segment(), b.segment());
            assertEquals(a.coverage(), b.coverage());
            assertEquals(a.reasons(), b.reasons());
            assertEquals(a.cohorts(), b.cohorts());
            assertEquals(a.buckets().get(0).bucket(), b.buckets().get(0).bucket());
            assertArrayEquals(a.buckets().get(0).counts(), b.buckets().get(0).counts());
        }
        assertEquals(SegmentDelta.watermark(2, -5L, -7L), serde.deserialize("t", serde.serialize("t", SegmentDelta.watermark(2, -5L, -7L))));
        assertThrows(IllegalArgumentException.class,
                () -> serde.serialize("t", new SegmentDelta.Contribution(0, 0L, List.of(), List.of(), List.of(), List.of(), 0L)));
    }
}
