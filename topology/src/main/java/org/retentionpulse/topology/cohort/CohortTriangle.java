package org.retentionpulse.topology.cohort;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.serde.CohortCellSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.metrics.SegmentOwnership;

/**
 * The queryable {@value #STORE} store of the cohort stage: the latest published {@link CohortCell} (open or final) of
 * every cell, written where the stage publishes (coalesced updates and finals, not per event), read by the HTTP API's
 * cohort triangle through interactive queries. {@link CohortAggregator}'s {@value CohortAggregator#STORE} holds only
 * the open cells' counts; this one also keeps the finals.
 *
 * <p>Key layout (a String, so one segment's cells are one key range, sorted by cohort):
 * {@code segment|C|k} where {@code C} is the cohort start in epoch milliseconds with the sign bit flipped, as a
 * 20-digit zero-padded unsigned decimal (as in {@code metric-history}), and {@code k} the period index in decimal,
 * e.g. {@code plan=pro|09223373745614775808|3}. Segment values may contain '|': a range can hold another segment's
 * cells, so readers compare {@link CohortCell#getSegment()}.
 *
 * <p>Retention: the cells of cohort c are deleted once its last cell (k = K) has been final for the history retention
 * ({@code api.history}), i.e. period c + K closed more than that long ago; so the store holds per segment the cohorts
 * of the last K + 1 periods plus those of the retention.
 *
 * <p>Entries live on the cohort-stage task that owns the segment ({@link SegmentOwnership}: every cell of a segment,
 * so one task holds a whole triangle), which is <em>not</em> the key's hash: use {@link #ownerPartitioner()}.
 */
public final class CohortTriangle {
    /** Store name (KeyValueStore&lt;String, CohortCell&gt;, in memory, changelogged). */
    public static final String STORE = "cohort-triangle";

    private final KeyValueStore<String, CohortCell> store;
    /** The segments with cells in the store: what {@link #prune} visits (rebuilt from the store on restore). */
    private final Set<String> segments = new HashSet<>();

    CohortTriangle(KeyValueStore<String, CohortCell> store) {
        this.store = store;
        try (KeyValueIterator<String, CohortCell> it = store.all()) {
            it.forEachRemaining(kv -> segments.add(kv.value.getSegment()));
        }
    }

    /** The {@value #STORE} store: in memory (bounded by the retention), changelogged, no record cache (written coalesced). */
    public static StoreBuilder<?> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                new CohortCellSerde(WireFormat.AVRO)).withCachingDisabled();
    }

    /** The store key of one cell. */
    public static String key(String segment, long cohortStartMs, int k) {
        return prefix(segment) + sortable(cohortStartMs) + '|' + k;
    }

    /** The first key of a segment's cells (inclusive bound of its range). */
    public static String first(String segment) {
        return prefix(segment) + sortable(Long.MIN_VALUE);
    }

    /**
     * The last key of a segment's cells (inclusive bound of its range): after every {@code C|k} of the segment, since
     * '}' sorts after '|'.
     */
    public static String last(String segment) {
        return prefix(segment) + sortable(Long.MAX_VALUE) + '}';
    }

    /**
     * For {@code KafkaStreams#queryMetadataForKey(STORE, segment, ownerPartitioner())}: maps a segment (the key passed
     * is the segment itself) to the cohort-stage partition that owns it.
     */
    public static StreamPartitioner<String, Object> ownerPartitioner() {
        return new StreamPartitioner<>() {
            @Override
            public Optional<Set<Integer>> partitions(String topic, String segment, Object value, int numPartitions) {
                return Optional.of(Set.of(SegmentOwnership.partitionOf(segment, numPartitions)));
            }
        };
    }

    void put(CohortCell cell) {
        segments.add(cell.getSegment());
        store.put(key(cell.getSegment(), cell.getCohortStart().toEpochMilli(), cell.getPeriod()), cell);
    }

    /** A cell no longer published (its members moved to another cohort: n = 0). */
    void remove(String segment, long cohortStartMs, int k) {
        store.delete(key(segment, cohortStartMs, k));
    }

    /** Deletes the cells of every cohort starting before {@code cohortStartMs}. */
    void prune(long cohortStartMs) {
        for (String segment : segments) {
            List<String> doomed = new ArrayList<>();
            try (KeyValueIterator<String, CohortCell> it = store.range(first(segment), prefix(segment) + sortable(cohortStartMs))) {
                it.forEachRemaining(kv -> {
                    if (kv.value.getSegment().equals(segment) && kv.value.getCohortStart().toEpochMilli() < cohortStartMs) {
                        doomed.add(kv.key);
                    }
                });
            }
            doomed.forEach(store::delete);
        }
    }

    private static String prefix(String segment) {
        return segment + '|';
    }

    private static String sortable(long epochMillis) {
        String digits = Long.toUnsignedString(epochMillis ^ Long.MIN_VALUE);
        return "0".repeat(20 - digits.length()) + digits;
    }
}
