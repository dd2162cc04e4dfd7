package org.retentionpulse.topology.cohort;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.topology.confidence.ConfidenceLevel;
import org.retentionpulse.topology.confidence.Interval;
import org.retentionpulse.topology.confidence.Sample;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.metrics.SegmentOwnership;
import org.retentionpulse.topology.time.CohortSpec;
import org.retentionpulse.topology.time.UpdateCadence;
import org.retentionpulse.topology.time.WindowSet;

/**
 * The cohort stage (contract section 9): reads the same repartitioned {@code segment-deltas} as the segment stage
 * (each partition owns a hash share of the segments, {@link SegmentOwnership}), sums the customers'
 * {@link SegmentDelta.CohortChange}s per cell (segment, cohort c, k), publishes coalesced updates of open cells on a
 * wall-clock schedule and one final record per cell when its period c+k closes: when the stream time of every customer
 * task has passed the period's end plus grace (the windows' closing rule). Cells are published for the periods the
 * input has reached and with at least one member: a period is reached when the event time of a customer task's latest
 * event is inside it or within its grace after it (a period that stream time jumps over, from before its start to
 * beyond its end plus grace, is never open and has no cells). Every published cell is also kept, for the HTTP API, in
 * the queryable {@link CohortTriangle} store.
 */
public final class CohortAggregator implements Processor<String, SegmentDelta, String, CohortCell> {
    /**
     * In memory, changelogged. Keys: {@code c|segment|cohort index|k} -> {n, retained, active, revenue cents}, kept
     * until period c+k closes; {@code r|period index} -> {} for the open periods the input has reached, kept until the
     * period closes; {@code w|source partition} -> {stream time}, one per customer task.
     */
    public static final String STORE = "cohort-cells";

    private static final int CUSTOMERS = 0;
    private static final int RETAINED = 1;
    private static final int ACTIVE = 2;
    private static final int REVENUE = 3;

    private final CohortSpec spec;
    private final ConfidenceLevel confidence;
    private final WindowSet windows;
    private final int sourcePartitions;
    private final int segmentPartitions;
    private final UpdateCadence cadence;
    private final long historyMs;

    private ProcessorContext<String, CohortCell> context;
    private KeyValueStore<String, long[]> store;
    private CohortTriangle triangle;
    /** Cohorts before this index have left {@link #triangle} (in memory: after a restart the first pass starts anew). */
    private long prunedBelow = Long.MIN_VALUE;
    private int partition;
    /** period index c+k -> cell -> values; only open periods. */
    private final TreeMap<Long, Map<Cell, long[]>> byPeriod = new TreeMap<>();
    private final Set<Cell> dirty = new LinkedHashSet<>();
    private long[] streamTimes;
    /** Open periods the input has reached (see the class comment). */
    private final Set<Long> reached = new java.util.HashSet<>();
    /** Periods below this index have closed (finals published). */
    private long firstOpen = Long.MIN_VALUE;

    /** One cell: segment, cohort period index, k. */
    record Cell(String segment, long cohort, int k) {
        long period() {
            return cohort + k;
        }

        String key() {
            return "c|" + segment + '|' + cohort + '|' + k;
        }
    }

    /** @param historyRetention how long after a cohort's last cell became final its cells stay in {@link CohortTriangle} */
    public CohortAggregator(CohortSpec spec, WindowSet windows, int sourcePartitions, int segmentPartitions,
                            UpdateCadence cadence, Duration historyRetention, ConfidenceLevel confidence) {
        this.confidence = confidence;
        this.historyMs = historyRetention.toMillis();
        this.spec = spec;
        this.windows = windows;
        this.sourcePartitions = sourcePartitions;
        this.segmentPartitions = segmentPartitions;
        this.cadence = cadence;
    }

    /** The {@value #STORE} store: in memory (it holds the open periods' cells), changelogged, cached. */
    public static StoreBuilder<?> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), longs())
                .withCachingEnabled();
    }

    @Override
    public void init(ProcessorContext<String, CohortCell> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.triangle = new CohortTriangle(context.getStateStore(CohortTriangle.STORE));
        this.partition = context.taskId().partition();
        this.streamTimes = new long[sourcePartitions];
        java.util.Arrays.fill(streamTimes, Long.MIN_VALUE);
        restore();
        firstOpen = firstOpenAt(minStreamTime());
        if (cadence.publishes()) {
            context.schedule(cadence.interval(), PunctuationType.WALL_CLOCK_TIME, this::publishUpdates);
        }
    }

    @Override
    public void process(Record<String, SegmentDelta> record) {
        cadence.read(record.timestamp());
        if (record.value() instanceof SegmentDelta.Batch batch) {
            batch.changes().forEach(this::applyOwned);
        } else if (record.value() instanceof SegmentDelta.Changes changes) {
            applyOwned(changes); // a record of format 3 or older: one segment's changes
        } else if (record.value() instanceof SegmentDelta.Watermark watermark) {
            advance(watermark);
        }
    }

    /** The cohort changes of a segment this partition owns ({@code all} reaches every partition; one owns it). */
    private void applyOwned(SegmentDelta.Changes changes) {
        if (SegmentOwnership.partitionOf(changes.segment(), segmentPartitions) == partition) {
            changes.cohorts().forEach(this::apply);
        }
    }

    private void apply(SegmentDelta.CohortChange change) {
        Cell cell = new Cell(change.segment(), change.cohort(), change.k());
        if (cell.period() < firstOpen) {
            return; // that period has closed: its cells are final
        }
        Map<Cell, long[]> cells = byPeriod.computeIfAbsent(cell.period(), p -> new HashMap<>());
        long[] v = cells.computeIfAbsent(cell, c -> new long[4]);
        v[CUSTOMERS] += change.customers();
        v[RETAINED] += change.retained();
        v[ACTIVE] += change.active();
        v[REVENUE] += change.revenueCents();
        if (v[CUSTOMERS] == 0 && v[RETAINED] == 0 && v[ACTIVE] == 0 && v[REVENUE] == 0) {
            cells.remove(cell);
            store.delete(cell.key());
        } else {
            store.put(cell.key(), v.clone());
        }
        dirty.add(cell);
    }

    private void advance(SegmentDelta.Watermark watermark) {
        int source = watermark.sourcePartition();
        if (source >= streamTimes.length) {
            throw new IllegalStateException("a watermark from input partition " + source + " of " + streamTimes.length);
        }
        if (watermark.streamTime() > streamTimes[source]) {
            streamTimes[source] = watermark.streamTime();
            store.put("w|" + source, new long[] {streamTimes[source]});
        }
        reach(watermark.latestEvent());
        long open = firstOpenAt(minStreamTime());
        if (open > firstOpen) {
            close(open);
        }
        pruneTriangle();
    }

    /** The open periods an event at {@code latestEvent} (a task's latest) finds: started, not closed at that time. */
    private void reach(long latestEvent) {
        if (latestEvent == Long.MIN_VALUE) {
            return;
        }
        for (long p = Math.max(firstOpenAt(latestEvent), firstOpen); p <= spec.indexContaining(latestEvent); p++) {
            if (reached.add(p)) {
                store.put("r|" + p, new long[0]);
            }
        }
    }

    /** Publishes the finals of every period below {@code open} that the input reached, then forgets their cells. */
    private void close(long open) {
        long now = context.currentSystemTimeMs();
        for (Iterator<Map.Entry<Long, Map<Cell, long[]>>> it = byPeriod.headMap(open).entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Map<Cell, long[]>> period = it.next();
            boolean wasReached = reached.contains(period.getKey());
            for (Map.Entry<Cell, long[]> cell : byCellOrder(period.getValue()).entrySet()) {
                if (wasReached && cell.getValue()[CUSTOMERS] > 0) {
                    publish(cell.getKey(), cell.getValue(), true, now);
                } else {
                    unpublish(cell.getKey());
                }
                store.delete(cell.getKey().key());
                dirty.remove(cell.getKey());
            }
            it.remove();
        }
        for (Iterator<Long> it = reached.iterator(); it.hasNext(); ) {
            long p = it.next();
            if (p < open) {
                store.delete("r|" + p);
                it.remove();
            }
        }
        firstOpen = open;
    }

    /**
     * Cohort c leaves the triangle when its last period c + K closed more than the history retention ago. O(1) per
     * watermark unless a cohort leaves (once per period).
     */
    private void pruneTriangle() {
        long min = minStreamTime();
        if (min == Long.MIN_VALUE) {
            return;
        }
        long below = firstOpenAt(min - historyMs) - spec.periods();
        if (below > prunedBelow) {
            triangle.prune(spec.startMs(below));
            prunedBelow = below;
        }
    }

    /** A cell that had members and has none now (they moved to an earlier cohort) is no longer in the triangle. */
    private void unpublish(Cell cell) {
        triangle.remove(cell.segment(), spec.startMs(cell.cohort()), cell.k());
    }

    /** Wall-clock punctuation: the dirty cells (while the stage is behind, only once per backlog interval: {@link UpdateCadence}). */
    private void publishUpdates(long now) {
        if (!cadence.due(now)) {
            return;
        }
        for (Cell cell : dirty) {
            long[] v = byPeriod.getOrDefault(cell.period(), Map.of()).get(cell);
            if (v != null && v[CUSTOMERS] > 0 && reached.contains(cell.period())) {
                publish(cell, v, false, now);
            } else if (v == null || v[CUSTOMERS] == 0) {
                unpublish(cell);
            }
        }
        if (!dirty.isEmpty() && !cadence.behind(now)) {
            context.commit(); // live: the cells visible now
        }
        dirty.clear();
        cadence.published(now);
    }

    private void publish(Cell cell, long[] v, boolean isFinal, long now) {
        long n = v[CUSTOMERS];
        BigDecimal revenue = BigDecimal.valueOf(v[REVENUE], 2);
        // Contract section 10: the Wilson intervals of the cell's two proportions over its customers.
        Interval retention = new Sample.Proportion(v[RETAINED], n).interval(confidence);
        Interval active = new Sample.Proportion(v[ACTIVE], n).interval(confidence);
        CohortCell out = CohortCell.newBuilder()
                .setCohortPeriod(spec.period().name())
                .setCohortStart(Instant.ofEpochMilli(spec.startMs(cell.cohort())))
                .setPeriod(cell.k())
                .setSegment(cell.segment())
                .setCustomers(n)
                .setRetained(v[RETAINED])
                .setActive(v[ACTIVE])
                .setRevenue(revenue)
                .setRetention(percent(v[RETAINED], n))
                .setActiveShare(percent(v[ACTIVE], n))
                .setRetentionCiLow(retention == null ? null : retention.low())
                .setRetentionCiHigh(retention == null ? null : retention.high())
                .setActiveShareCiLow(active == null ? null : active.low())
                .setActiveShareCiHigh(active == null ? null : active.high())
                .setRevenuePerCustomer(revenue.divide(BigDecimal.valueOf(n), 4, RoundingMode.HALF_EVEN))
                .setFinal$(isFinal)
                .setComputedAt(Instant.ofEpochMilli(now))
                .build();
        triangle.put(out);
        context.forward(new Record<>(key(out), out, now));
    }

    /** The compactable key of a cell: {@code period|segment|cohort_start|k}. */
    public static String key(CohortCell cell) {
        return cell.getCohortPeriod() + '|' + cell.getSegment() + '|' + cell.getCohortStart() + '|' + cell.getPeriod();
    }

    private static BigDecimal percent(long x, long n) {
        return BigDecimal.valueOf(100 * x).divide(BigDecimal.valueOf(n), 4, RoundingMode.HALF_EVEN);
    }

    /** The first period still open at {@code streamTime}: a period closes when stream time passes its end plus grace. */
    private long firstOpenAt(long streamTime) {
        if (streamTime == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        // period p is closed iff end(p) = start(p + 1) < streamTime - grace
        return spec.indexContaining(streamTime - windows.graceMs() - 1);
    }

    private long minStreamTime() {
        long min = Long.MAX_VALUE;
        for (long t : streamTimes) {
            min = Math.min(min, t);
        }
        return min;
    }

    private static Map<Cell, long[]> byCellOrder(Map<Cell, long[]> cells) {
        TreeMap<Cell, long[]> sorted = new TreeMap<>(java.util.Comparator.comparing(Cell::segment)
                .thenComparingLong(Cell::cohort).thenComparingInt(Cell::k));
        sorted.putAll(cells);
        return sorted;
    }

    /** Values of {@value #STORE}: the longs, big-endian. */
    private static Serde<long[]> longs() {
        return Serdes.serdeFrom((topic, v) -> {
            if (v == null) {
                return null;
            }
            ByteBuffer out = ByteBuffer.allocate(Long.BYTES * v.length);
            for (long x : v) {
                out.putLong(x);
            }
            return out.array();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            long[] v = new long[bytes.length / Long.BYTES];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.getLong();
            }
            return v;
        });
    }

    private void restore() {
        try (KeyValueIterator<String, long[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, long[]> kv = it.next();
                if (kv.key.startsWith("w|")) {
                    streamTimes[Integer.parseInt(kv.key.substring(2))] = kv.value[0];
                } else if (kv.key.startsWith("r|")) {
                    reached.add(Long.parseLong(kv.key.substring(2)));
                } else {
                    String rest = kv.key.substring(2);
                    int kAt = rest.lastIndexOf('|');
                    int cohortAt = rest.lastIndexOf('|', kAt - 1);
                    Cell cell = new Cell(rest.substring(0, cohortAt), Long.parseLong(rest.substring(cohortAt + 1, kAt)),
                            Integer.parseInt(rest.substring(kAt + 1)));
                    byPeriod.computeIfAbsent(cell.period(), p -> new HashMap<>()).put(cell, kv.value);
                }
            }
        }
    }
}
