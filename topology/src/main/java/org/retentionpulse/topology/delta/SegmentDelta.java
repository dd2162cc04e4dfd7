package org.retentionpulse.topology.delta;

import java.util.List;

/**
 * What one input record changed, sent from the customer stage to the segment stage through the
 * {@code segment-deltas} repartition topic. It also carries the sending task's stream time, the
 * watermark from which the segment stage decides when windows close.
 *
 * @param sourcePartition the input partition (customer task) that sent it
 * @param sourceStreamTime that task's stream time after the record
 * @param buckets additive count changes per (segment, bucket)
 * @param coverage changes to the distinct purchaser counts, as difference-array entries over window indexes
 */
public record SegmentDelta(int sourcePartition, long sourceStreamTime, List<BucketChange> buckets,
                           List<CoverageChange> coverage) {

    /** Counter changes of one segment in one time bucket; {@code counts} is indexed by {@link Counter#ordinal()}. */
    public record BucketChange(String segment, long bucket, long[] counts) {
    }

    /**
     * A change of the purchaser counts starting at window {@code windowIndex} of window spec {@code spec}:
     * P1 and P2 of every window from that index on move by {@code purchasers} / {@code repeatPurchasers}
     * (difference-array encoding, so a purchase changes O(1) entries instead of one per hopping window).
     */
    public record CoverageChange(String segment, int spec, long windowIndex, int purchasers, int repeatPurchasers) {
    }

    public static SegmentDelta watermark(int sourcePartition, long sourceStreamTime) {
        return new SegmentDelta(sourcePartition, sourceStreamTime, List.of(), List.of());
    }
}
