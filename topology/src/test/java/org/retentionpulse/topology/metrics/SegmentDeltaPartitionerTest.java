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
    void aSegmentsChangesGoToTheOnePartitionThatOwnsItTheSameOneTheHistoryLookupNames() {
        for (String segment : List.of("plan=pro", "plan=basic", "country=DE", "channel=referral", "plan=a|b")) {
            for (int n = 1; n <= 4; n++) {
                Set<Integer> routed = partitioner.partitions("t", segment, changes(segment), n).orElseThrow();
                int owner = SegmentOwnership.partitionOf(segment, n);
                assertEquals(Set.of(owner), routed);
                assertEquals(routed, MetricHistory.partitioner()
                        .partitions("t", MetricHistory.key("nps", "P1D/P1D", segment, 0), null, n).orElseThrow());
            }
        }
    }

    @Test
    void watermarksAndTheChangesOfSegmentAllGoToEveryPartition() {
        assertEquals(Set.of(0, 1, 2), partitioner.partitions("t", "", SegmentDelta.watermark(4, 123L, 100L), 3).orElseThrow());
        assertEquals(Set.of(0, 1, 2), partitioner.partitions("t", "all", changes("all"), 3).orElseThrow());
    }

    @Test
    void changesAndWatermarksSurviveTheTopicFormatAndAPerRecordContributionNeverGoesOnIt() {
        SegmentDeltaSerde serde = new SegmentDeltaSerde();
        SegmentDelta.Changes sent = changes("country=FR");
        SegmentDelta.Changes read = (SegmentDelta.Changes) serde.deserialize("t", serde.serialize("t", sent));
        assertEquals(sent.segment(), read.segment());
        assertEquals(sent.coverage(), read.coverage());
        assertEquals(sent.reasons(), read.reasons());
        assertEquals(sent.cohorts(), read.cohorts());
        assertEquals(sent.buckets().get(0).bucket(), read.buckets().get(0).bucket());
        assertArrayEquals(sent.buckets().get(0).counts(), read.buckets().get(0).counts());
        assertEquals(SegmentDelta.watermark(2, -5L, -7L), serde.deserialize("t", serde.serialize("t", SegmentDelta.watermark(2, -5L, -7L))));
        assertThrows(IllegalArgumentException.class,
                () -> serde.serialize("t", new SegmentDelta.Contribution(0, 0L, List.of(), List.of(), List.of(), List.of(), 0L)));
    }
}
