package org.retentionpulse.topology.metrics;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.schemas.serde.WireFormat;

/**
 * The two queryable stores of the segment stage's metric records, read together by the HTTP API through interactive
 * queries: {@value #STORE} holds the final {@link MetricUpdate} of every closed (metric, window, segment,
 * window_start), kept for the history retention after the window closed; {@value #OPEN_STORE} the latest update of
 * every window still open. Both are written where the stage emits (not per event), with the same keys and values; a
 * key is in at most one of them (a final moves it from the open store to the history).
 *
 * <p>Key layout (a String, so ranges sort by time within one series):
 * {@code metric|window|segment|T} where {@code T} is the window start in epoch milliseconds with the sign
 * bit flipped, as a 20-digit zero-padded unsigned decimal, e.g.
 * {@code nps|P30D/P1D|plan=pro|09223373745614775808}; a record with a {@code reason} ({@code churn_reason_share}: one
 * per reason) has {@code |reason} after {@code T}, e.g. {@code churn_reason_share|P30D/P1D|all|09223373745614775808|price},
 * so a window's reasons follow its start. A series is the range from {@link #key} at {@code Long.MIN_VALUE} to
 * {@link #lastKey} at {@code Long.MAX_VALUE}; windows from a to b (with their reasons): {@link #key} at a to
 * {@link #lastKey} at b. Segment and reason values may contain '|': readers compare the record's fields.
 *
 * <p>Entries live on the segment-stage task that owns the segment, which is <em>not</em> the key's hash:
 * use {@link #partitioner()} to find the owner.
 */
public final class MetricHistory {
    /**
     * Store name (KeyValueStore&lt;String, MetricUpdate&gt;, changelogged): finals, until the history retention after
     * their window closed.
     */
    public static final String STORE = "metric-history";
    /**
     * Store name (KeyValueStore&lt;String, MetricUpdate&gt;, in memory, not logged, no cache): the latest update of each
     * open window, same keys and values as {@value #STORE}. An entry lives until its window's final is published (it
     * moves to {@value #STORE}) or its window closes without one. Not restored from a changelog: after a restore or a
     * task move the segment stage rebuilds it from its restored counts, so open-window updates (every tick, most of
     * the records the stage writes) cost no changelog record and no RocksDB write.
     */
    public static final String OPEN_STORE = "metric-history-open";

    private MetricHistory() {
    }

    /**
     * The order of both stores' keys: that of their UTF-8 bytes, unsigned, which Kafka Streams' byte stores
     * ({@value #STORE}) use. It is Unicode code point order, which {@link String#compareTo} (UTF-16 code units) is
     * not for the characters from U+E000 on against those beyond U+FFFF: readers that merge the two stores compare
     * with this.
     */
    public static final Comparator<String> KEY_ORDER = MetricHistory::compareCodePoints;

    /** The {@value #OPEN_STORE} store: objects in memory ({@link OpenWindowStore}), not logged, no cache. */
    public static StoreBuilder<? extends KeyValueStore<String, MetricUpdate>> openStoreBuilder() {
        return OpenWindowStore.builder(OPEN_STORE);
    }

    private static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // From U+D800 up, move the surrogates (code points beyond U+FFFF) after U+E000..U+FFFF (ICU's fix-up).
                if (x >= 0xD800 && y >= 0xD800) {
                    return fixUp(x) - fixUp(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    private static int fixUp(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    /** The value serde of both stores (Avro, whatever the output format). */
    public static Serde<MetricUpdate> valueSerde() {
        return new MetricUpdateSerde(WireFormat.AVRO);
    }

    /** The store key of one window of one series (of a record without a reason). */
    public static String key(String metric, String window, String segment, long windowStartMs) {
        return prefix(metric, window, segment) + sortable(windowStartMs);
    }

    /** The store key of one reason's record of one window ({@code reason} null: {@link #key(String, String, String, long)}). */
    public static String key(String metric, String window, String segment, long windowStartMs, String reason) {
        String key = key(metric, window, segment, windowStartMs);
        return reason == null ? key : key + '|' + reason;
    }

    /**
     * The greatest key of one window, after those of all its reasons: an inclusive upper bound for ranges ('}' sorts
     * after the '|' that starts a reason, and a start's digits end before it).
     */
    public static String lastKey(String metric, String window, String segment, long windowStartMs) {
        return key(metric, window, segment, windowStartMs) + '}';
    }

    /** The key prefix shared by all windows of one series. */
    public static String prefix(String metric, String window, String segment) {
        return metric + '|' + window + '|' + segment + '|';
    }

    /** The key of {@code update}. */
    public static String key(MetricUpdate update) {
        return key(update.getMetric(), update.getWindow(), update.getSegment(), update.getWindowStart().toEpochMilli(),
                update.getReason());
    }

    /**
     * The segment of a key without a reason (between the second and the last '|'; segment values may contain '|'): the
     * probe keys the HTTP API passes to {@link #partitioner()}.
     */
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
