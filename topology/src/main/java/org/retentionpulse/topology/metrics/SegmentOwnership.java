package org.retentionpulse.topology.metrics;

/**
 * Which segment-stage partition owns a segment: the one place that decides it. The repartition routes a segment's
 * changes there, that task emits the segment's metrics and keeps its {@value MetricHistory#STORE} entries, and the
 * HTTP API looks the owner up with {@link MetricHistory#partitioner()}, which applies this rule.
 */
public final class SegmentOwnership {
    private SegmentOwnership() {
    }

    public static int partitionOf(String segment, int segmentPartitions) {
        return segmentPartitions <= 1 ? 0 : Math.floorMod(segment.hashCode(), segmentPartitions);
    }
}
