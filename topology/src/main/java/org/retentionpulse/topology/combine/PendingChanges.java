package org.retentionpulse.topology.combine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.retentionpulse.topology.customer.Segment;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.metrics.SegmentOwnership;

/**
 * The segment changes of a customer task's records since its last flush, summed per segment and key: bucket counts
 * per bucket, distinct-customer entries per window spec and index, churned customers per bucket and reason, cohort
 * cells per cohort and k. Every change the segment stage applies is a sum, so the sum of several records' changes has
 * the effect of the records one by one; entries that sum to zero are dropped. Drained as one
 * {@link SegmentDelta.Batch} per segment partition, the segments that partition owns ({@link SegmentOwnership}) and
 * segment {@value Segment#ALL}, which every partition keeps.
 */
final class PendingChanges {
    /** Per segment; sorted at drain time, so a drain is in the same order whatever order the records came in. */
    private final Map<String, SegmentSums> segments = new HashMap<>();

    boolean isEmpty() {
        return segments.isEmpty();
    }

    /** Adds one record's changes. */
    void add(SegmentDelta.Contribution c) {
        c.buckets().forEach(b -> sums(b.segment()).bucket(b.bucket(), b.counts()));
        c.coverage().forEach(v -> sums(v.segment()).coverage(v.spec(), v.windowIndex(),
                new long[] {v.purchasers(), v.repeatPurchasers(), v.respondents()}));
        c.reasons().forEach(r -> sums(r.segment()).reason(r.bucket(), r.reason(), r.churned()));
        c.cohorts().forEach(h -> sums(h.segment()).cohort(h.cohort(), h.k(),
                new long[] {h.customers(), h.retained(), h.active(), h.revenueCents()}));
    }

    /**
     * The sums as one batch per segment partition that has changes (at most {@code segmentPartitions}), from customer
     * task {@code sourcePartition}; then empty.
     */
    List<SegmentDelta.Batch> drain(int segmentPartitions, int sourcePartition) {
        List<List<SegmentDelta.Changes>> byPartition = new ArrayList<>();
        for (int p = 0; p < segmentPartitions; p++) {
            byPartition.add(new ArrayList<>());
        }
        new TreeMap<>(segments).forEach((segment, sums) -> {
            SegmentDelta.Changes changes = sums.changes(segment);
            if (changes.buckets().isEmpty() && changes.coverage().isEmpty() && changes.reasons().isEmpty()
                    && changes.cohorts().isEmpty()) {
                return; // the records cancelled out
            }
            if (Segment.ALL.equals(segment)) {
                byPartition.forEach(list -> list.add(changes));
            } else {
                byPartition.get(SegmentOwnership.partitionOf(segment, segmentPartitions)).add(changes);
            }
        });
        segments.clear();
        List<SegmentDelta.Batch> out = new ArrayList<>();
        for (int p = 0; p < segmentPartitions; p++) {
            if (!byPartition.get(p).isEmpty()) {
                out.add(new SegmentDelta.Batch(p, sourcePartition, byPartition.get(p)));
            }
        }
        return out;
    }

    private SegmentSums sums(String segment) {
        return segments.computeIfAbsent(segment, s -> new SegmentSums());
    }

    private record SpecWindow(int spec, long windowIndex) {
    }

    private record BucketReason(long bucket, String reason) {
    }

    private record CohortK(long cohort, int k) {
    }

    /** One segment's sums; insertion-ordered maps sorted at drain time. */
    private static final class SegmentSums {
        private final Map<Long, long[]> buckets = new HashMap<>();
        private final Map<SpecWindow, long[]> coverage = new LinkedHashMap<>();
        private final Map<BucketReason, long[]> reasons = new LinkedHashMap<>();
        private final Map<CohortK, long[]> cohorts = new LinkedHashMap<>();

        void bucket(long bucket, long[] counts) {
            add(buckets.computeIfAbsent(bucket, b -> new long[Counter.COUNT]), counts);
        }

        void coverage(int spec, long windowIndex, long[] change) {
            add(coverage.computeIfAbsent(new SpecWindow(spec, windowIndex), k -> new long[3]), change);
        }

        void reason(long bucket, String reason, long churned) {
            reasons.computeIfAbsent(new BucketReason(bucket, reason), k -> new long[1])[0] += churned;
        }

        void cohort(long cohort, int k, long[] change) {
            add(cohorts.computeIfAbsent(new CohortK(cohort, k), x -> new long[4]), change);
        }

        SegmentDelta.Changes changes(String segment) {
            List<SegmentDelta.BucketChange> b = new ArrayList<>();
            new TreeMap<>(buckets).forEach((bucket, counts) -> {
                if (!isZero(counts)) {
                    b.add(new SegmentDelta.BucketChange(segment, bucket, counts));
                }
            });
            List<SegmentDelta.CoverageChange> v = new ArrayList<>();
            coverage.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(Comparator.comparingInt(SpecWindow::spec).thenComparingLong(SpecWindow::windowIndex)))
                    .filter(e -> !isZero(e.getValue()))
                    .forEach(e -> v.add(new SegmentDelta.CoverageChange(segment, e.getKey().spec(), e.getKey().windowIndex(),
                            Math.toIntExact(e.getValue()[0]), Math.toIntExact(e.getValue()[1]), Math.toIntExact(e.getValue()[2]))));
            List<SegmentDelta.ReasonChange> r = new ArrayList<>();
            reasons.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(Comparator.comparingLong(BucketReason::bucket).thenComparing(BucketReason::reason)))
                    .filter(e -> e.getValue()[0] != 0)
                    .forEach(e -> r.add(new SegmentDelta.ReasonChange(segment, e.getKey().bucket(), e.getKey().reason(), e.getValue()[0])));
            List<SegmentDelta.CohortChange> h = new ArrayList<>();
            cohorts.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(Comparator.comparingLong(CohortK::cohort).thenComparingInt(CohortK::k)))
                    .filter(e -> !isZero(e.getValue()))
                    .forEach(e -> h.add(new SegmentDelta.CohortChange(segment, e.getKey().cohort(), e.getKey().k(),
                            e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3])));
            return new SegmentDelta.Changes(segment, b, v, r, h);
        }

        private static void add(long[] total, long[] change) {
            for (int i = 0; i < change.length; i++) {
                total[i] += change[i];
            }
        }

        private static boolean isZero(long[] values) {
            for (long v : values) {
                if (v != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
