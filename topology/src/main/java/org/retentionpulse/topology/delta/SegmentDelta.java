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
    record Contribution(int sourcePartition, long streamTime, List<BucketChange> buckets, List<CoverageChange> coverage,
                        List<ReasonChange> reasons, List<CohortChange> cohorts, long latestEvent) implements SegmentDelta {
    }

    /** Changes of one segment, every entry's {@code segment} equal to {@link #segment}. */
    record Changes(String segment, List<BucketChange> buckets, List<CoverageChange> coverage, List<ReasonChange> reasons,
                   List<CohortChange> cohorts) implements SegmentDelta {
    }

    /**
     * The summed changes of a customer task's records for one segment-stage partition: the segments it owns and segment
     * {@code all}, which every partition gets. {@code sourcePartition} is the customer task that decided them, at the
     * stream time of the watermark it sent last ({@code combine.DeltaCombiner}); -1 in records of format 4 or older.
     */
    record Batch(int partition, int sourcePartition, List<Changes> changes) implements SegmentDelta {
    }

    /**
     * A customer task's stream time: every change it sent before this record is at most that late. {@code latestEvent}
     * is the latest event time it accepted (stream time without ticks): the cohort periods it has reached.
     */
    record Watermark(int sourcePartition, long streamTime, long latestEvent) implements SegmentDelta {
    }

    /** Counter changes of one segment in one time bucket; {@code counts} is indexed by {@link Counter#ordinal()}. */
    record BucketChange(String segment, long bucket, long[] counts) {
    }

    /**
     * A change of the distinct-customer counts starting at window {@code windowIndex} of window spec {@code spec}:
     * P1, P2 and RESP (survey respondents, section 8) of every window from that index on move by {@code purchasers} /
     * {@code repeatPurchasers} / {@code respondents}
     * (difference-array encoding, so a purchase changes O(1) entries instead of one per hopping window).
     */
    record CoverageChange(String segment, int spec, long windowIndex, int purchasers, int repeatPurchasers, int respondents) {
    }

    /**
     * C_r (docs/METRICS.md section 8): churned customers of one segment in one time bucket with one normalised reason
     * ({@code inactivity} for a lapse) change by {@code churned}. Reasons are open-ended, so they are not counters.
     */
    record ReasonChange(String segment, long bucket, String reason, long churned) {
    }

    static Watermark watermark(int sourcePartition, long streamTime, long latestEvent) {
        return new Watermark(sourcePartition, streamTime, latestEvent);
    }

    /**
     * A change of one cohort cell (contract section 9): segment, cohort period index, k, and the changes of its
     * members n, retained and active members and revenue in minor units.
     */
    record CohortChange(String segment, long cohort, int k, long customers, long retained, long active, long revenueCents) {
    }
}
