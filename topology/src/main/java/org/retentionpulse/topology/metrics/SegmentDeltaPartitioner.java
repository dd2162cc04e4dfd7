package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.SegmentDelta;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.retentionpulse.topology.customer.Segment;

/**
 * Routes the {@code segment-deltas} repartition topic: a {@link SegmentDelta.Batch} to the partition it was built
 * for (the owner of its segments by {@link SegmentOwnership}, plus segment {@value Segment#ALL}, which every event
 * counts in, so each partition knows which windows have events); a {@link SegmentDelta.Watermark} to every partition
 * (windows close at the minimum over all customer tasks).
 */
public final class SegmentDeltaPartitioner implements StreamPartitioner<String, SegmentDelta> {
    /**
     * The repartition key: the target partition of a batch; the empty string for a watermark. Routing is by value;
     * the key is there because a repartition drops records with a null key.
     */
    public static String keyOf(SegmentDelta delta) {
        return delta instanceof SegmentDelta.Batch b ? Integer.toString(b.partition()) : "";
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, SegmentDelta value, int numPartitions) {
        if (value instanceof SegmentDelta.Batch b) {
            if (b.partition() >= numPartitions) {
                throw new IllegalStateException("a batch for segment partition " + b.partition() + " on a topic of "
                        + numPartitions + " partitions: segment.partitions changed under a running application");
            }
            return Optional.of(Set.of(b.partition()));
        }
        return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
    }
}
