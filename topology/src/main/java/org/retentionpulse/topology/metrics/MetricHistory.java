package org.retentionpulse.topology.metrics;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.retentionpulse.schemas.MetricUpdate;

/**
 * The queryable {@value #STORE} store of the segment stage: the latest {@link MetricUpdate} of every
 * (metric, window, segment, window_start), written where the stage emits (not per event), kept for the
 * history retention after the window closed, and read by the HTTP API through interactive queries.
 *
 * <p>Key layout (a String, so ranges sort by time within one series):
 * {@code metric|window|segment|T} where {@code T} is the window start in epoch milliseconds with the sign
 * bit flipped, as a 20-digit zero-padded unsigned decimal, e.g.
 * {@code nps|P30D/P1D|plan=pro|09223373745614775808}. A series is the range from {@link #key} at
 * {@code Long.MIN_VALUE} to {@link #key} at {@code Long.MAX_VALUE}.
 *
 * <p>Entries live on the segment-stage task that owns the segment, which is <em>not</em> the key's hash:
 * use {@link #partitioner()} to find the owner.
 */
public final class MetricHistory {
    /** Store name (KeyValueStore&lt;String, MetricUpdate&gt;, changelogged). */
    public static final String STORE = "metric-history";

    private MetricHistory() {
    }

    /** The store key of one window of one series. */
    public static String key(String metric, String window, String segment, long windowStartMs) {
        return prefix(metric, window, segment) + sortable(windowStartMs);
    }

    /** The key prefix shared by all windows of one series. */
    public static String prefix(String metric, String window, String segment) {
        return metric + '|' + window + '|' + segment + '|';
    }

    /** The key of {@code update}. */
    public static String key(MetricUpdate update) {
        return key(update.getMetric(), update.getWindow(), update.getSegment(), update.getWindowStart().toEpochMilli());
    }

    /** The segment of a key (between the second and the last '|'; segment values may contain '|'). */
    public static String segmentOf(String key) {
        int first = key.indexOf('|');
        int second = key.indexOf('|', first + 1);
        return key.substring(second + 1, key.lastIndexOf('|'));
    }

    /** The segment-stage partition that owns {@code segment} ({@link SegmentOwnership}). */
    public static int partitionOf(String segment, int segmentPartitions) {
        return SegmentOwnership.partitionOf(segment, segmentPartitions);
    }

    /** For {@code KafkaStreams#queryMetadataForKey}: maps a history key to the partition of its segment. */
    public static StreamPartitioner<String, Object> partitioner() {
        return new StreamPartitioner<>() {
            @Override
            public Optional<Set<Integer>> partitions(String topic, String key, Object value, int numPartitions) {
                return Optional.of(Set.of(partitionOf(segmentOf(key), numPartitions)));
            }
        };
    }

    private static String sortable(long epochMillis) {
        String digits = Long.toUnsignedString(epochMillis ^ Long.MIN_VALUE);
        return "0".repeat(20 - digits.length()) + digits;
    }
}
