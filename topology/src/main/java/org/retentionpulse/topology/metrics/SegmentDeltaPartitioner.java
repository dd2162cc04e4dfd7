package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.SegmentDelta;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.retentionpulse.topology.customer.Segment;

/**
 * Routes the {@code segment-deltas} repartition topic: a segment's {@link SegmentDelta.Changes} to the partition that
 * owns it ({@link SegmentOwnership}); what every partition needs to every partition: {@link SegmentDelta.Watermark}s
 * (windows close at the minimum over all customer tasks) and the changes of segment {@value Segment#ALL}, which
 * every event counts in, so each partition knows which windows have events (a window with none has no record).
 */
public final class SegmentDeltaPartitioner implements StreamPartitioner<String, SegmentDelta> {
    /**
     * The repartition key: the segment of changes; the empty string for a watermark, which is routed by value
     * (a repartition drops records with a null key).
     */
    public static String keyOf(SegmentDelta delta) {
        return delta instanceof SegmentDelta.Changes c ? c.segment() : "";
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, SegmentDelta value, int numPartitions) {
        if (value instanceof SegmentDelta.Changes c && !Segment.ALL.equals(c.segment())) {
            return Optional.of(Set.of(SegmentOwnership.partitionOf(c.segment(), numPartitions)));
        }
        return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
    }
}
