package org.retentionpulse.topology.delta;

import java.util.List;

/**
 * What flows from the customer stage to the segment stage. The customer stage builds one {@link Contribution} per
 * input record; its changes go through the {@code segment-deltas} repartition topic as one {@link Batch} per
 * segment-stage partition, holding the {@link Changes} of the segments that partition owns
 * ({@code metrics.SegmentDeltaPartitioner}); each customer task's stream time goes as a {@link Watermark} to every
 * partition, after the changes it covers (Kafka keeps the order of one producer's records per partition).
 */
public sealed interface SegmentDelta {

    /**
     * What one input record changed, over all its segments (customer stage -> batches by partition, same task,
     * never on a topic).
     *
     * @param sourcePartition the input partition (customer task) that built it
     * @param streamTime that task's stream time after the record: windows closed at it are left unchanged
     */
    record Contribution(int sourcePartition, long streamTime, List<BucketChange> buckets, List<CoverageChange> coverage)
            implements SegmentDelta {
    }

    /** Changes of one segment, every entry's {@code segment} equal to {@link #segment}. */
    record Changes(String segment, List<BucketChange> buckets, List<CoverageChange> coverage) implements SegmentDelta {
    }

    /**
     * The changes of one input record for one segment-stage partition: the segments it owns and segment {@code all},
     * which every partition gets. One record per partition per input record (one in all with one segment partition)
     * instead of one per segment.
     */
    record Batch(int partition, List<Changes> changes) implements SegmentDelta {
    }

    /** A customer task's stream time: every change it sent before this record is at most that late. */
    record Watermark(int sourcePartition, long streamTime) implements SegmentDelta {
    }

    /** Counter changes of one segment in one time bucket; {@code counts} is indexed by {@link Counter#ordinal()}. */
    record BucketChange(String segment, long bucket, long[] counts) {
    }

    /**
     * A change of the purchaser counts starting at window {@code windowIndex} of window spec {@code spec}:
     * P1 and P2 of every window from that index on move by {@code purchasers} / {@code repeatPurchasers}
     * (difference-array encoding, so a purchase changes O(1) entries instead of one per hopping window).
     */
    record CoverageChange(String segment, int spec, long windowIndex, int purchasers, int repeatPurchasers) {
    }

    static Watermark watermark(int sourcePartition, long streamTime) {
        return new Watermark(sourcePartition, streamTime);
    }
}
