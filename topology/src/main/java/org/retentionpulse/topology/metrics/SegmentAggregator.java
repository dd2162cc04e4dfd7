package org.retentionpulse.topology.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.confidence.MetricIntervals;
import org.retentionpulse.topology.customer.Segment;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.UpdateCadence;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * The segment stage: sums the {@link SegmentDelta}s of all customer tasks per segment and time bucket
 * ({@link SegmentTable}), emits coalesced metric updates for open windows on a wall-clock schedule, and exactly one
 * final record per window and segment when the window closes ({@link MetricEmitter}), then folds what closed and
 * prunes the history ({@link HistoryPruner}). The open windows' latest records live in the unlogged
 * {@value MetricHistory#OPEN_STORE}, rebuilt from the restored counts in {@link #init}.
 *
 * <p>A window closes when the stream time of <em>every</em> customer task has passed its end plus grace
 * ({@link SourceWatermarks#min()}), so a task that lags behind, restarts or is rebalanced never has its events cut
 * off by a faster one: the result depends only on the input, not on timing. Each partition owns a hash share of the
 * segments ({@link SegmentOwnership}) and also keeps segment {@value Segment#ALL}, which every event counts in,
 * to know which windows exist (a window with no event at all has no record).
 */
public final class SegmentAggregator implements Processor<String, SegmentDelta, String, MetricUpdate> {
    /** In-memory, changelogged, cached; entries and their retention in {@link AggregateKey}. */
    public static final String STORE = "segment-aggregates";

    private final WindowSet windows;
    private final int sourcePartitions;
    private final int segmentPartitions;
    private final UpdateCadence cadence;
    private final long historyMs;
    private final MetricIntervals intervals;
    /**
     * Under {@code churn.inactivity} (contract section 7) every window from the earliest event up to the latest
     * event's has records, since customers lapse in windows without events; otherwise only windows with an event.
     */
    private final boolean everyWindowReached;
    /** {@code churn.reasons.cap}: reasons per window and segment with their own churn_reason_share record. */
    private final int reasonsCap;

    private ProcessorContext<String, MetricUpdate> context;
    private KeyValueStore<AggregateKey, long[]> store;
    private int partition;
    private SegmentTable table;
    private SourceWatermarks watermarks;
    private MetricEmitter emitter;
    private HistoryPruner pruner;
    private SegmentStageMetrics metrics;
    /** The watermark up to which windows have been closed (finals emitted) and state folded. */
    private long closedWatermark = Long.MIN_VALUE;
    /** Owned segments changed since the last update. */
    private final Set<String> dirty = new HashSet<>();
    /**
     * Owned segments whose older open windows a publication of the latest windows alone left out ({@link
     * UpdateCadence#latestWindowsOnly}): the next publication of every open window covers them, so that none keeps a
     * stale update once the backlog is read.
     */
    private final Set<String> olderWindowsLeftOut = new HashSet<>();
    /** Per spec: the highest window index an update has been emitted for (transient: after a restore all segments are re-sent once). */
    private final long[] updatedTo;
    /** Per spec: the last window with events that stream time had reached at the previous update punctuation or restore. */
    private final long[] reachedAtLastTick;

    /** @param historyRetention how long after a window closed its values stay in {@value MetricHistory#STORE} */
    public SegmentAggregator(WindowSet windows, int sourcePartitions, int segmentPartitions, UpdateCadence cadence,
                             Duration historyRetention, MetricIntervals intervals, ChurnPolicy churn) {
        this.everyWindowReached = churn.lapses();
        this.reasonsCap = churn.reasonsCap();
        this.windows = windows;
        this.sourcePartitions = sourcePartitions;
        this.segmentPartitions = segmentPartitions;
        this.cadence = cadence;
        this.historyMs = historyRetention.toMillis();
        this.intervals = intervals;
        this.updatedTo = new long[windows.size()];
        java.util.Arrays.fill(updatedTo, Long.MIN_VALUE);
        this.reachedAtLastTick = new long[windows.size()];
        java.util.Arrays.fill(reachedAtLastTick, Long.MIN_VALUE);
    }

    /** The {@value #STORE} store: in memory (it holds at most the longest window plus grace), changelogged, cached. */
    public static StoreBuilder<?> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), AggregateStoreCodec.keys(),
                AggregateStoreCodec.values()).withCachingEnabled();
    }

    @Override
    public void init(ProcessorContext<String, MetricUpdate> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.partition = context.taskId().partition();
        KeyValueStore<String, MetricUpdate> history = context.getStateStore(MetricHistory.STORE);
        KeyValueStore<String, MetricUpdate> open = context.getStateStore(MetricHistory.OPEN_STORE);
        this.table = new SegmentTable(windows, store);
        this.watermarks = new SourceWatermarks(sourcePartitions);
        this.emitter = new MetricEmitter(windows, context, history, open, intervals);
        this.pruner = new HistoryPruner(windows, historyMs, history, open);
        this.metrics = new SegmentStageMetrics(context);
        table.restore(watermarks);
        closedWatermark = watermarks.min();
        rebuildOpenWindows(open);
        if (cadence.publishes()) {
            context.schedule(cadence.interval(), PunctuationType.WALL_CLOCK_TIME, this::emitUpdates);
        }
    }

    /**
     * The unlogged {@value MetricHistory#OPEN_STORE} comes back empty after a restore or a move to another instance (or,
     * kept by a task recycled in place, possibly stale): it is rebuilt from the restored counts, without forwarding.
     */
    private void rebuildOpenWindows(KeyValueStore<String, MetricUpdate> open) {
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, MetricUpdate> it = open.all()) {
            it.forEachRemaining(kv -> stale.add(kv.key));
        }
        stale.forEach(open::delete);
        emitOpenWindows(MetricEmitter.Emission.REBUILD, owned(), context.currentSystemTimeMs(), false);
        reachedNewWindows(); // what the restored state has reached is not new: a restart alone publishes nothing
    }

    @Override
    public void process(Record<String, SegmentDelta> record) {
        metrics.read(record.value());
        cadence.read(record.timestamp());
        if (record.value() instanceof SegmentDelta.Batch batch) {
            long decidedAt = decidedAt(batch.sourcePartition());
            for (SegmentDelta.Changes changes : batch.changes()) {
                apply(changes, record.timestamp(), decidedAt);
            }
        } else if (record.value() instanceof SegmentDelta.Changes changes) {
            apply(changes, record.timestamp(), closedWatermark); // a record of format 3 or older: one segment's changes
        } else if (record.value() instanceof SegmentDelta.Watermark watermark) {
            advance(watermark, record.timestamp());
        } else {
            throw new IllegalArgumentException("the segment stage reads batches and watermarks, not " + record.value());
        }
    }

    /**
     * The stream time at which the customer task {@code source} decided the changes it sends now: that of the watermark
     * it sent last (its combiner sends a watermark before any change decided past a closing point), at least this
     * stage's own. Unknown ({@code -1}, a record of format 4) is this stage's.
     */
    private long decidedAt(int source) {
        return source < 0 ? closedWatermark : Math.max(closedWatermark, watermarks.of(source));
    }

    private void apply(SegmentDelta.Changes changes, long timestamp, long decidedAt) {
        if (!holds(changes.segment())) {
            return; // routed to the owner only; a record for another segment means the partition count changed under us
        }
        for (SegmentDelta.BucketChange change : changes.buckets()) {
            table.addBucket(change.segment(), change.bucket(), change.counts(), closedWatermark, decidedAt);
        }
        for (SegmentDelta.CoverageChange change : changes.coverage()) {
            table.addCoverage(change.segment(), change.spec(), change.windowIndex(),
                    new long[] {change.purchasers(), change.repeatPurchasers(), change.respondents()}, closedWatermark, decidedAt);
        }
        for (SegmentDelta.ReasonChange change : changes.reasons()) {
            table.addReason(change.segment(), change.bucket(), change.reason(), change.churned(), closedWatermark, decidedAt);
        }
        changed(changes.segment(), timestamp);
    }

    /** A customer task's stream time moved: windows every task has passed close. */
    private void advance(SegmentDelta.Watermark watermark, long timestamp) {
        if (watermarks.advance(watermark.sourcePartition(), watermark.streamTime())) {
            store.put(new AggregateKey.Watermark(watermark.sourcePartition()), new long[] {watermark.streamTime()});
        }
        long min = watermarks.min();
        if (min > closedWatermark) {
            close(min, timestamp);
        }
    }

    private void changed(String segment, long timestamp) {
        if (owns(segment)) {
            dirty.add(segment);
            emitter.noteSource(segment, timestamp);
        }
    }

    /** Emits the finals of every window that closes between the old and the new watermark, then folds. */
    private void close(long watermark, long timestamp) {
        long now = context.currentSystemTimeMs();
        List<String> owned = owned();
        for (int s = 0; s < windows.size(); s++) {
            WindowSpec spec = windows.get(s);
            long firstOpen = windows.firstOpenIndex(spec, watermark);
            for (long k = firstWindowWithEvents(s); k < firstOpen && k <= lastWindowWithEvents(s); k++) {
                emitWindow(s, k, owned, MetricEmitter.Emission.FINAL, now, timestamp);
            }
            emitter.windowsClosed(s, firstOpen);
            pruner.closed(s, windows.firstOpenIndex(spec, closedWatermark), firstOpen, owned);
        }
        closedWatermark = watermark;
        table.fold(closedWatermark);
        pruner.prune(closedWatermark, owned);
    }

    /**
     * Wall-clock punctuation: the current value of every open window, for the segments that changed since the last one
     * (while the stage is behind, only once per backlog interval and only the latest window of each spec: {@link
     * UpdateCadence}).
     */
    private void emitUpdates(long now) {
        if (!cadence.due(now)) {
            return;
        }
        boolean reached = reachedNewWindows();
        if (dirty.isEmpty() && !reached && olderWindowsLeftOut.isEmpty()) {
            return;
        }
        Set<String> changed = new TreeSet<>(dirty);
        dirty.clear();
        boolean latestOnly = cadence.latestWindowsOnly(now);
        if (latestOnly) {
            olderWindowsLeftOut.addAll(changed);
        } else {
            changed.addAll(olderWindowsLeftOut);
            olderWindowsLeftOut.clear();
        }
        emitOpenWindows(MetricEmitter.Emission.UPDATE, changed, now, latestOnly);
        emitter.sourcesPublished(changed);
        cadence.published(now);
        if (!cadence.behind(now)) {
            context.commit(); // live: the updates (and any finals since the last commit) visible now
        }
    }

    /**
     * Whether stream time has reached a window with events that no update covered yet. Why: a batch's changes and the
     * watermark after it may be processed on either side of an update punctuation; changes to a window stream time had
     * not reached yet clear {@code dirty} without an update of it, and the watermark that reaches it changes no segment.
     * Compared with what the previous punctuation (or the restore) had reached, so that a restart alone publishes nothing.
     */
    private boolean reachedNewWindows() {
        long streamTime = watermarks.max();
        boolean reached = false;
        for (int s = 0; s < windows.size(); s++) {
            long to = lastReachedWindow(s, streamTime);
            reached |= to > reachedAtLastTick[s];
            reachedAtLastTick[s] = Math.max(reachedAtLastTick[s], to);
        }
        return reached;
    }

    /** The last window of spec {@code s} that has events and that {@code streamTime} has reached. */
    private long lastReachedWindow(int s, long streamTime) {
        return Math.min(lastWindowWithEvents(s), windows.get(s).lastIndexContaining(streamTime));
    }

    /**
     * Every open window stream time has reached (with {@code latestOnly}, the latest of each spec: {@link
     * UpdateCadence#latestWindowsOnly}), for {@code changed} (an update) or every owned segment (a rebuild of the open
     * store after a restore, which forwards nothing: the first update then still covers every segment).
     */
    private void emitOpenWindows(MetricEmitter.Emission emission, Collection<String> changed, long now, boolean latestOnly) {
        long streamTime = watermarks.max();
        for (int s = 0; s < windows.size(); s++) {
            long to = lastReachedWindow(s, streamTime);
            long first = firstWindowWithEvents(s);
            for (long k = latestOnly ? Math.max(first, to) : first; k <= to; k++) {
                // A window's first update covers every segment, so each segment's latest update is for the same
                // window (consumers such as the Prometheus gauges read "current" per segment); later ones only changed segments.
                emitWindow(s, k, k > updatedTo[s] ? owned() : changed, emission, now, now);
            }
            if (emission == MetricEmitter.Emission.UPDATE) {
                updatedTo[s] = Math.max(updatedTo[s], to);
            }
        }
    }

    /** Emits window {@code index} of spec {@code spec} for those of {@code candidates} that exist in it. */
    private void emitWindow(int spec, long index, Iterable<String> candidates, MetricEmitter.Emission emission, long now,
                            long timestamp) {
        WindowSpec windowSpec = windows.get(spec);
        long start = windowSpec.start(index);
        long end = windowSpec.end(index);
        SegmentState all = table.get(Segment.ALL);
        if (all == null || !exists(all.counts(spec, index, start, end, reasonsCap))) {
            return; // no event in this window at all (under churn.inactivity: nobody either): it has no record
        }
        for (String segment : candidates) {
            SegmentState state = table.get(segment);
            WindowCounts counts = state == null ? null : state.counts(spec, index, start, end, reasonsCap);
            if (counts != null && (counts.hasEvents() || counts.activeAtStart() > 0 || counts.winBackPool() > 0)) {
                emitter.emit(spec, index, segment, counts, emission, now, timestamp);
            }
        }
    }

    /** Whether a window has records, from the counts of segment {@value Segment#ALL} in it. */
    private boolean exists(WindowCounts all) {
        return all.hasEvents() || (everyWindowReached && (all.activeAtStart() > 0 || all.winBackPool() > 0));
    }

    /**
     * The first window of {@code spec} that is open and may have records: from the first kept bucket of segment
     * {@value Segment#ALL} on; under {@code churn.inactivity}, once windows have closed, from the first open one (a
     * quiet window after folded buckets still has its customers).
     */
    private long firstWindowWithEvents(int spec) {
        SegmentState all = table.get(Segment.ALL);
        if (all == null || all.buckets.isEmpty()) {
            return Long.MAX_VALUE;
        }
        WindowSpec windowSpec = windows.get(spec);
        long firstOpen = windows.firstOpenIndex(windowSpec, closedWatermark);
        if (everyWindowReached && closedWatermark != Long.MIN_VALUE) {
            return firstOpen;
        }
        return Math.max(windowSpec.firstIndexContaining(all.buckets.firstKey()), firstOpen);
    }

    /**
     * The last window of {@code spec} that may have records: the last containing a kept bucket of segment
     * {@value Segment#ALL}; under {@code churn.inactivity} the last starting by the latest bucket with an event (later
     * buckets hold lapses counted in advance, in windows stream time has not reached).
     */
    private long lastWindowWithEvents(int spec) {
        SegmentState all = table.get(Segment.ALL);
        if (all == null || all.buckets.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long last = all.buckets.lastKey();
        if (everyWindowReached) {
            last = Long.MIN_VALUE;
            for (Map.Entry<Long, long[]> bucket : all.buckets.descendingMap().entrySet()) {
                if (bucket.getValue()[Counter.EVENTS.ordinal()] > 0) {
                    last = bucket.getKey();
                    break;
                }
            }
            if (last == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
        }
        return windows.get(spec).lastIndexContaining(last + windows.bucketMs() - 1);
    }

    /** The owned segments this task holds. */
    private List<String> owned() {
        return table.names().stream().filter(this::owns).toList();
    }

    private boolean owns(String segment) {
        return SegmentOwnership.partitionOf(segment, segmentPartitions) == partition;
    }

    /** A task keeps the segments it owns and {@value Segment#ALL}, whose events say which windows exist. */
    private boolean holds(String segment) {
        return owns(segment) || Segment.ALL.equals(segment);
    }
}
