package org.retentionpulse.topology.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.OutputHeaders;
import org.retentionpulse.topology.confidence.MetricIntervals;
import org.retentionpulse.topology.customer.Segment;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment stage: sums the {@link SegmentDelta}s of all customer tasks per segment and time bucket,
 * emits coalesced metric updates for open windows on a wall-clock schedule, and exactly one final record
 * per window and segment when the window closes.
 *
 * <p>A window closes when the stream time of <em>every</em> customer task has passed its end plus grace
 * (the minimum of the tasks' watermarks carried by the deltas), so a task that lags behind, restarts or
 * is rebalanced never has its events cut off by a faster one: the result depends only on the input, not on
 * timing. Every delta reaches every segment-stage partition; each partition owns a hash share of the
 * segments and counts events of all segments to know which windows exist.
 */
public final class SegmentAggregator implements Processor<Integer, SegmentDelta, String, MetricUpdate> {
    /** In-memory, changelogged; key layout in {@link AggregateStoreKeys}; entries live until their windows close. */
    public static final String STORE = "segment-aggregates";

    private static final Logger log = LoggerFactory.getLogger(SegmentAggregator.class);

    private final WindowSet windows;
    private final int segmentPartitions;
    private final Duration updateInterval;
    private final long historyMs;
    private final MetricIntervals intervals;

    private ProcessorContext<String, MetricUpdate> context;
    private KeyValueStore<Bytes, byte[]> store;
    private KeyValueStore<String, MetricUpdate> history;
    /** History is pruned up to this window end (exclusive), in whole buckets, so pruning runs once per bucket. */
    private long historyPrunedTo = Long.MIN_VALUE;
    /**
     * Per owned segment: the earliest input record timestamp folded in since the segment's last update,
     * for the {@link OutputHeaders#SOURCE_TIMESTAMP} header (not persisted: after a restore the next record sets it).
     */
    private final Map<String, Long> pendingSource = new java.util.HashMap<>();
    private int partition;
    /** Sorted so output order is deterministic. */
    private final Map<String, SegmentState> segments = new TreeMap<>();
    /** bucket -> accepted events of all segments. */
    private final TreeMap<Long, Long> eventBuckets = new TreeMap<>();
    private long[] sourceTimes;
    /** The watermark up to which windows have been closed (finals emitted) and state folded. */
    private long closedWatermark = Long.MIN_VALUE;
    private final Set<String> dirty = new HashSet<>();
    /** Per spec: the highest window index an update has been emitted for (transient: after a restore all segments are re-sent once). */
    private final long[] updatedTo;

    /** @param historyRetention how long after a window closed its values stay in {@value MetricHistory#STORE} */
    public SegmentAggregator(WindowSet windows, int sourcePartitions, int segmentPartitions, Duration updateInterval,
                             Duration historyRetention, MetricIntervals intervals) {
        this.windows = windows;
        this.segmentPartitions = segmentPartitions;
        this.updateInterval = updateInterval;
        this.historyMs = historyRetention.toMillis();
        this.intervals = intervals;
        this.updatedTo = new long[windows.size()];
        Arrays.fill(updatedTo, Long.MIN_VALUE);
        this.sourceTimes = new long[sourcePartitions];
        Arrays.fill(sourceTimes, Long.MIN_VALUE);
    }

    @Override
    public void init(ProcessorContext<String, MetricUpdate> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.history = context.getStateStore(MetricHistory.STORE);
        this.partition = context.taskId().partition();
        restore();
        closedWatermark = minSourceTime();
        if (!updateInterval.isZero()) {
            context.schedule(updateInterval, PunctuationType.WALL_CLOCK_TIME, this::emitUpdates);
        }
    }

    private void restore() {
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                AggregateStoreKeys.Decoded key = AggregateStoreKeys.decode(kv.key);
                long[] values = AggregateStoreKeys.values(kv.value);
                switch (key.kind()) {
                    case AggregateStoreKeys.BUCKET -> segment(key.segment()).buckets.put(key.a(), values);
                    case AggregateStoreKeys.COVERAGE -> segment(key.segment()).coverage[(int) key.a()].put(key.b(), values);
                    case AggregateStoreKeys.BASE -> {
                        SegmentState s = segment(key.segment());
                        s.activeBase = values[0];
                        for (int i = 0; i < windows.size(); i++) {
                            s.coverageBase[i][0] = values[1 + 2 * i];
                            s.coverageBase[i][1] = values[2 + 2 * i];
                        }
                    }
                    case AggregateStoreKeys.EVENTS -> eventBuckets.put(key.a(), values[0]);
                    case AggregateStoreKeys.WATERMARK -> sourceTime((int) key.a(), values[0]);
                    default -> log.warn("Ignoring unknown entry kind {} in {}", key.kind(), STORE);
                }
            }
        }
    }

    @Override
    public void process(Record<Integer, SegmentDelta> record) {
        SegmentDelta delta = record.value();
        for (SegmentDelta.BucketChange change : delta.buckets()) {
            applyBucket(change);
            noteSource(change.segment(), record.timestamp());
        }
        for (SegmentDelta.CoverageChange change : delta.coverage()) {
            applyCoverage(change);
            noteSource(change.segment(), record.timestamp());
        }
        if (delta.sourceStreamTime() > sourceTime(delta.sourcePartition())) {
            sourceTime(delta.sourcePartition(), delta.sourceStreamTime());
            store.put(AggregateStoreKeys.key(AggregateStoreKeys.WATERMARK, delta.sourcePartition()),
                    AggregateStoreKeys.values(delta.sourceStreamTime()));
        }
        long watermark = minSourceTime();
        if (watermark > closedWatermark) {
            close(watermark, record.timestamp());
        }
    }

    private void noteSource(String segment, long timestamp) {
        if (owns(segment)) {
            pendingSource.merge(segment, timestamp, Math::min);
        }
    }

    private void applyBucket(SegmentDelta.BucketChange change) {
        boolean folded = windows.isLate(change.bucket(), closedWatermark);
        long[] counts = change.counts();
        if (Segment.ALL.equals(change.segment()) && !folded) {
            long events = eventBuckets.getOrDefault(change.bucket(), 0L) + counts[Counter.EVENTS.ordinal()];
            putOrRemove(eventBuckets, change.bucket(), events);
            persist(AggregateStoreKeys.key(AggregateStoreKeys.EVENTS, change.bucket()), events == 0 ? null : new long[] {events});
        }
        if (!owns(change.segment())) {
            return;
        }
        SegmentState state = segment(change.segment());
        dirty.add(change.segment());
        if (folded) {
            // Every window of this bucket has closed: only who is active at later instants still changes.
            state.activeBase += counts[Counter.SIGNUPS.ordinal()] - counts[Counter.CANCELLATIONS.ordinal()];
            persistBase(change.segment(), state);
            return;
        }
        long[] total = state.buckets.computeIfAbsent(change.bucket(), b -> new long[Counter.COUNT]);
        for (int i = 0; i < total.length; i++) {
            total[i] += counts[i];
        }
        if (isZero(total)) {
            state.buckets.remove(change.bucket());
            persist(AggregateStoreKeys.key(AggregateStoreKeys.BUCKET, change.segment(), change.bucket(), 0), null);
        } else {
            persist(AggregateStoreKeys.key(AggregateStoreKeys.BUCKET, change.segment(), change.bucket(), 0), total);
        }
    }

    private void applyCoverage(SegmentDelta.CoverageChange change) {
        if (!owns(change.segment())) {
            return;
        }
        SegmentState state = segment(change.segment());
        dirty.add(change.segment());
        WindowSpec spec = windows.get(change.spec());
        if (windows.isClosed(spec.end(change.windowIndex()), closedWatermark)) {
            state.coverageBase[change.spec()][0] += change.purchasers();
            state.coverageBase[change.spec()][1] += change.repeatPurchasers();
            persistBase(change.segment(), state);
            return;
        }
        long[] d = state.coverage[change.spec()].computeIfAbsent(change.windowIndex(), k -> new long[2]);
        d[0] += change.purchasers();
        d[1] += change.repeatPurchasers();
        Bytes key = AggregateStoreKeys.key(AggregateStoreKeys.COVERAGE, change.segment(), change.spec(), change.windowIndex());
        if (d[0] == 0 && d[1] == 0) {
            state.coverage[change.spec()].remove(change.windowIndex());
            persist(key, null);
        } else {
            persist(key, d);
        }
    }

    /** Emits the finals of every window that closes between the old and the new watermark, then folds. */
    private void close(long watermark, long timestamp) {
        if (!eventBuckets.isEmpty()) {
            long now = context.currentSystemTimeMs();
            for (int s = 0; s < windows.size(); s++) {
                WindowSpec spec = windows.get(s);
                long from = spec.firstIndexContaining(eventBuckets.firstKey());
                if (closedWatermark != Long.MIN_VALUE) {
                    from = Math.max(from, firstOpenIndex(spec, closedWatermark));
                }
                long to = Math.min(spec.lastIndexContaining(eventBuckets.lastKey() + windows.bucketMs() - 1),
                        firstOpenIndex(spec, watermark) - 1);
                for (long k = from; k <= to; k++) {
                    emit(s, k, segments.keySet(), true, now, timestamp);
                }
            }
        }
        closedWatermark = watermark;
        fold();
        pruneHistory();
    }

    private void emitUpdates(long now) {
        if (dirty.isEmpty() || eventBuckets.isEmpty()) {
            dirty.clear();
            return;
        }
        long streamTime = maxSourceTime();
        Set<String> changed = new java.util.TreeSet<>(dirty);
        dirty.clear();
        for (int s = 0; s < windows.size(); s++) {
            WindowSpec spec = windows.get(s);
            long from = spec.firstIndexContaining(eventBuckets.firstKey());
            if (closedWatermark != Long.MIN_VALUE) {
                from = Math.max(from, firstOpenIndex(spec, closedWatermark));
            }
            long to = Math.min(spec.lastIndexContaining(eventBuckets.lastKey() + windows.bucketMs() - 1),
                    spec.lastIndexContaining(streamTime));
            for (long k = from; k <= to; k++) {
                // A window's first update covers every segment, so each segment's latest update is for the same
                // window (consumers such as the Prometheus gauges read "current" per segment); later ones only changed segments.
                emit(s, k, k > updatedTo[s] ? segments.keySet() : changed, false, now, now);
            }
            updatedTo[s] = Math.max(updatedTo[s], to);
        }
        changed.forEach(pendingSource::remove);
    }

    /**
     * Emits all metrics of window {@code index} for those of {@code candidates} that exist in it, and records
     * them in {@value MetricHistory#STORE}. The source-timestamp header is the earliest input folded in since the
     * segment's last update, or for a final with nothing pending, the input that closed the window ({@code timestamp});
     * an update of a segment with nothing pending has none.
     */
    private void emit(int specIndex, long index, Set<String> candidates, boolean isFinal, long now, long timestamp) {
        WindowSpec spec = windows.get(specIndex);
        long start = spec.start(index);
        long end = spec.end(index);
        if (!hasEvents(start, end)) {
            return;
        }
        for (String segment : candidates) {
            SegmentState state = segments.get(segment);
            if (state == null) {
                continue;
            }
            WindowCounts counts = state.counts(specIndex, index, start, end);
            if (!counts.hasEvents() && counts.activeAtStart() <= 0) {
                continue;
            }
            // No header when the record publishes no input of its own (a new window's first update of a quiet segment).
            Long source = pendingSource.containsKey(segment) ? pendingSource.get(segment) : isFinal ? Long.valueOf(timestamp) : null;
            for (Metric metric : Metric.values()) {
                MetricUpdate update = MetricUpdate.newBuilder()
                        .setMetric(metric.key())
                        .setWindow(spec.toString())
                        .setWindowStart(Instant.ofEpochMilli(start))
                        .setWindowEnd(Instant.ofEpochMilli(end))
                        .setSegment(segment)
                        .setValue(metric.value(counts))
                        .setComponents(metric.components(counts))
                        .setFinal$(isFinal)
                        .setComputedAt(Instant.ofEpochMilli(now))
                        .build();
                intervals.annotate(metric, update);
                history.put(MetricHistory.key(update), update);
                RecordHeaders headers = new RecordHeaders();
                if (source != null) {
                    headers.add(OutputHeaders.SOURCE_TIMESTAMP, OutputHeaders.encodeTimestamp(source));
                }
                context.forward(new Record<>(MetricKey.of(update), update, timestamp, headers));
            }
        }
    }

    private boolean hasEvents(long start, long end) {
        for (long events : eventBuckets.subMap(start, end).values()) {
            if (events > 0) {
                return true;
            }
        }
        return false;
    }

    /** Drops buckets and difference entries whose windows have all closed, keeping their lasting effect in the bases. */
    private void fold() {
        for (Iterator<Map.Entry<Long, Long>> it = eventBuckets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> e = it.next();
            if (!windows.isLate(e.getKey(), closedWatermark)) {
                break;
            }
            it.remove();
            persist(AggregateStoreKeys.key(AggregateStoreKeys.EVENTS, e.getKey()), null);
        }
        for (Iterator<Map.Entry<String, SegmentState>> segs = segments.entrySet().iterator(); segs.hasNext(); ) {
            Map.Entry<String, SegmentState> entry = segs.next();
            String segment = entry.getKey();
            SegmentState state = entry.getValue();
            boolean baseChanged = false;
            for (Iterator<Map.Entry<Long, long[]>> it = state.buckets.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, long[]> e = it.next();
                if (!windows.isLate(e.getKey(), closedWatermark)) {
                    break;
                }
                long net = e.getValue()[Counter.SIGNUPS.ordinal()] - e.getValue()[Counter.CANCELLATIONS.ordinal()];
                state.activeBase += net;
                baseChanged |= net != 0;
                it.remove();
                persist(AggregateStoreKeys.key(AggregateStoreKeys.BUCKET, segment, e.getKey(), 0), null);
            }
            for (int s = 0; s < windows.size(); s++) {
                long firstOpen = firstOpenIndex(windows.get(s), closedWatermark);
                for (Iterator<Map.Entry<Long, long[]>> it = state.coverage[s].headMap(firstOpen).entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Long, long[]> e = it.next();
                    state.coverageBase[s][0] += e.getValue()[0];
                    state.coverageBase[s][1] += e.getValue()[1];
                    baseChanged = true;
                    it.remove();
                    persist(AggregateStoreKeys.key(AggregateStoreKeys.COVERAGE, segment, s, e.getKey()), null);
                }
            }
            if (baseChanged) {
                persistBase(segment, state);
            }
        }
    }

    /**
     * Deletes history entries of windows that ended more than the history retention before the closed
     * watermark (minus grace). Runs once per bucket of progress; per owned segment, spec and metric one range.
     */
    private void pruneHistory() {
        if (closedWatermark == Long.MIN_VALUE) {
            return;
        }
        long cutoff = Math.floorDiv(closedWatermark - windows.graceMs() - historyMs, windows.bucketMs()) * windows.bucketMs();
        if (cutoff <= historyPrunedTo) {
            return;
        }
        long previousCutoff = historyPrunedTo;
        historyPrunedTo = cutoff;
        for (String segment : segments.keySet()) {
            for (int s = 0; s < windows.size(); s++) {
                WindowSpec spec = windows.get(s);
                String window = spec.toString();
                // windows with end <= cutoff, i.e. start <= cutoff - size
                long lastStart = cutoff - spec.sizeMs();
                // Start after what the previous pass deleted: a scan from the smallest start would step over the
                // RocksDB tombstones of every window ever pruned. After a restart the first pass starts at the bottom.
                long firstStart = previousCutoff == Long.MIN_VALUE ? Long.MIN_VALUE : previousCutoff - spec.sizeMs() + 1;
                for (Metric metric : Metric.values()) {
                    List<String> doomed = new java.util.ArrayList<>();
                    try (KeyValueIterator<String, MetricUpdate> it = history.range(
                            MetricHistory.key(metric.key(), window, segment, firstStart),
                            MetricHistory.key(metric.key(), window, segment, lastStart))) {
                        it.forEachRemaining(kv -> doomed.add(kv.key));
                    }
                    doomed.forEach(history::delete);
                }
            }
        }
    }

    /** The first window of {@code spec} that is still open at {@code watermark}. */
    private long firstOpenIndex(WindowSpec spec, long watermark) {
        // open iff end + grace >= watermark, end = k * advance + size
        return -Math.floorDiv(-(watermark - windows.graceMs() - spec.sizeMs()), spec.advanceMs());
    }

    private boolean owns(String segment) {
        return segmentPartitions <= 1 || Math.floorMod(segment.hashCode(), segmentPartitions) == partition;
    }

    private SegmentState segment(String name) {
        return segments.computeIfAbsent(name, n -> new SegmentState(windows.size()));
    }

    private long sourceTime(int source) {
        return source < sourceTimes.length ? sourceTimes[source] : Long.MIN_VALUE;
    }

    private void sourceTime(int source, long time) {
        if (source >= sourceTimes.length) {
            log.warn("Segment delta from customer partition {} but {} source partitions are configured; "
                    + "windows now wait for {} partitions", source, sourceTimes.length, source + 1);
            int old = sourceTimes.length;
            sourceTimes = Arrays.copyOf(sourceTimes, source + 1);
            Arrays.fill(sourceTimes, old, sourceTimes.length, Long.MIN_VALUE);
        }
        sourceTimes[source] = time;
    }

    private long minSourceTime() {
        long min = Long.MAX_VALUE;
        for (long t : sourceTimes) {
            min = Math.min(min, t);
        }
        return sourceTimes.length == 0 ? Long.MIN_VALUE : min;
    }

    private long maxSourceTime() {
        long max = Long.MIN_VALUE;
        for (long t : sourceTimes) {
            max = Math.max(max, t);
        }
        return max;
    }

    private void persistBase(String segment, SegmentState state) {
        long[] values = new long[1 + 2 * windows.size()];
        values[0] = state.activeBase;
        for (int i = 0; i < windows.size(); i++) {
            values[1 + 2 * i] = state.coverageBase[i][0];
            values[2 + 2 * i] = state.coverageBase[i][1];
        }
        persist(AggregateStoreKeys.key(AggregateStoreKeys.BASE, segment, 0, 0), values);
    }

    private void persist(Bytes key, long[] values) {
        if (values == null) {
            store.delete(key);
        } else {
            store.put(key, AggregateStoreKeys.values(values));
        }
    }

    private static void putOrRemove(TreeMap<Long, Long> map, long key, long value) {
        if (value == 0) {
            map.remove(key);
        } else {
            map.put(key, value);
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

    /** Segments this task currently holds, for tests and diagnostics. */
    List<String> segmentNames() {
        return List.copyOf(segments.keySet());
    }
}
