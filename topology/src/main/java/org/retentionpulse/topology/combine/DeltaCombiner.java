package org.retentionpulse.topology.combine;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.serde.JournalEntrySerde;
import org.retentionpulse.topology.time.Backlog;
import org.retentionpulse.topology.time.WindowSet;

/**
 * Between the customer stage and the {@code segment-deltas} repartition topic, in the customer task: sums the segment
 * changes of the task's records ({@link PendingChanges}) and sends them, every {@link DeltaCombining#interval} of wall
 * clock or every {@link DeltaCombining#maxEvents} records, as one {@link SegmentDelta.Batch} per segment partition,
 * then the task's {@link SegmentDelta.Watermark} to every partition. In a backfill thousands of records share a
 * segment's bucket and windows, so the segment stage applies a few hundred summed changes per flush instead of dozens
 * per record. A tick's watermark flushes first and then passes, so a window closes only after every change before it.
 *
 * <p>One late decision: the customer stage decides whether a record is late, and which windows and cohort periods
 * are closed for it, at its stream time before the record; the segment and cohort stages apply the record's changes
 * at the watermark they last received. Per record those are the same instant. Combined, they stay equivalent: a
 * record decided at a stream time that has passed a closing point ({@link WindowSet#closingStep}) the last watermark
 * sent had not is preceded by a flush, so its changes always reach the segment stage after a watermark that closed
 * exactly what the customer stage had closed when it decided. The watermark follows the changes it covers (one
 * producer, one partition: Kafka keeps the order).
 *
 * <p>Exactly-once: the task's offsets are committed with the changes of their records, sent or journaled. Kafka
 * Streams calls the combiner before every commit of its task ({@link CommitHook}). While the task is behind, it sends
 * what it holds then, in the transaction of that commit: a backlog's cycles are large, one more flush per commit costs
 * the segment stage little, and no record is ever journaled. A live task instead writes the records of its open cycle
 * to the {@link DeltaJournal} then (the few since the last tick; its next tick sends them): sending at every commit
 * would double the small batches the segment stage applies (commits come at every tick and after every update
 * publication: 1,700-2,200 batches against 950-1,000 in a 15 s live phase at 3,500 events/s, BENCHMARKS.md, session
 * 16). Where the hook is not available, each record is journaled as it comes.
 *
 * <p>While the task is behind ({@link Backlog#behind}: catching up on a backlog) the wall-clock flush comes every
 * {@link DeltaCombining#backlogInterval} instead: when changes are sent does not change what is counted, only how
 * many bytes the repartition topic carries per record.
 */
public final class DeltaCombiner implements Processor<String, SegmentDelta, String, SegmentDelta> {
    public static final String JOURNAL_STORE = DeltaJournal.STORE;
    public static final String COMMIT_HOOK_STORE = CommitHook.STORE;

    private final DeltaCombining combining;
    private final int segmentPartitions;
    private final WindowSet windows;
    private final PendingChanges pending = new PendingChanges();
    private ProcessorContext<String, SegmentDelta> context;
    private DeltaJournal journal;
    /** The task's watermark after the latest combined record; null when the last one sent is current. */
    private SegmentDelta.Watermark unsent;
    /** The timestamp of the earliest combined record (the batches carry it: the age of their oldest change). */
    private long earliest = Long.MAX_VALUE;
    /** The timestamp of the newest combined record: how far behind the wall clock the task is. */
    private long newest = Long.MIN_VALUE;
    /** The wall-clock time of the last punctuation that flushed (or found nothing to flush). */
    private long lastFlushAt;
    /** Whether a record was read since the last punctuation (a live task then asks for a commit). */
    private boolean readSinceTick;
    /** What calls {@link #beforeCommit} before every commit; null where unavailable: each record is journaled at once. */
    private CommitHook commitHook;

    public DeltaCombiner(DeltaCombining combining, int segmentPartitions, WindowSet windows) {
        this.combining = combining;
        this.segmentPartitions = segmentPartitions;
        this.windows = windows;
    }

    /**
     * The {@value #JOURNAL_STORE} store: in memory, logged, no record cache (each entry is written once). Its changelog
     * rolls 1 MiB segments and is cleaned early, so the compacted log the store is restored from stays near
     * {@code maxEvents} records instead of one per record ever combined.
     */
    public static StoreBuilder<?> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(JOURNAL_STORE), Serdes.Integer(), new JournalEntrySerde())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(1 << 20),
                        TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1"));
    }

    /** The {@value #COMMIT_HOOK_STORE} store ({@link CommitHook}): holds nothing, not logged. */
    public static StoreBuilder<?> commitHookBuilder() {
        return CommitHook.storeBuilder();
    }

    @Override
    public void init(ProcessorContext<String, SegmentDelta> context) {
        this.context = context;
        this.journal = new DeltaJournal(context.getStateStore(JOURNAL_STORE), combining.maxEvents());
        journal.restore(this::combine);
        commitHook = CommitHook.install(context, this::beforeCommit);
        if (combining.combines()) {
            context.schedule(combining.interval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
        }
    }

    @Override
    public void process(Record<String, SegmentDelta> record) {
        readSinceTick = true;
        if (record.value() instanceof SegmentDelta.Contribution c) {
            if (unsent != null && watermarkDueBefore(c)) {
                flush();
            }
            JournalEntry.Changes entry = new JournalEntry.Changes(journal.cycle(), record.timestamp(), c);
            journal.add(entry, mayJournal(record.timestamp()));
            if (combining.combines() && commitHook == null) {
                journal.writeUnwritten();
            }
            combine(entry);
            if (!combining.combines() || journal.full()) {
                flush();
            }
        } else if (record.value() instanceof SegmentDelta.Watermark w) {
            earliest = Math.min(earliest, record.timestamp());
            unsent = w;
            flush();
        } else {
            throw new IllegalArgumentException("the customer stage sends contributions and watermarks, not " + record.value());
        }
    }

    /**
     * Whether the pending watermark must reach the segment and cohort stages before {@code next}'s changes, for them to
     * apply those changes as the customer stage decided them:
     * <ul>
     * <li>{@code next} was decided at the pending stream time (the stream time before it), which has passed a closing
     *     point the last watermark sent had not: the segment stage must close what the customer stage had closed;</li>
     * <li>{@code next}'s latest event time starts other windows or cohort periods, or lets others close, than the
     *     pending one: the cohort stage publishes the periods each latest event time reaches, so each such step must
     *     arrive as a watermark of its own.</li>
     * </ul>
     * Both change only at grid boundaries (a day with the default windows), so in a backfill a flush still holds every
     * record of a day.
     */
    private boolean watermarkDueBefore(SegmentDelta.Contribution next) {
        long decided = unsent.streamTime();
        if (windows.closingStep(decided) != windows.closingStep(journal.sentStreamTime())) {
            return true;
        }
        long pendingLatest = unsent.latestEvent();
        return windows.closingStep(pendingLatest) != windows.closingStep(next.latestEvent())
                || windows.gridCell(pendingLatest) != windows.gridCell(next.latestEvent());
    }

    /**
     * The wall-clock punctuation: a flush, unless the task is behind and the last flush is recent. A live task that read
     * records since the last one also asks for a commit: Kafka Streams' commit interval is the backlog's (one commit a
     * second, see the application's {@code commit.interval}), so live results become visible to read-committed
     * consumers at every flush instead of at the next interval.
     */
    private void tick(long now) {
        boolean behind = Backlog.behind(now, newest);
        if (!behind || now - lastFlushAt >= combining.backlogInterval().toMillis()) {
            flush();
            lastFlushAt = now;
        }
        if (!behind && readSinceTick) {
            context.commit();
        }
        readSinceTick = false;
    }

    /**
     * Whether the changes of a record appended at {@code timestamp} may go to the journal before they are sent: where
     * nothing is called before a commit, or for a live record. A backlog's are not kept (its cycle is sent before the
     * commit), so they are garbage as soon as they are summed.
     */
    private boolean mayJournal(long timestamp) {
        return combining.combines() && (commitHook == null || !Backlog.behind(context.currentSystemTimeMs(), timestamp));
    }

    /**
     * Before a commit of the task: a task behind sends what it holds, a live one journals it (see the class); a cycle
     * with records read while behind, which were not kept, is sent either way.
     */
    private void beforeCommit() {
        if (Backlog.behind(context.currentSystemTimeMs(), newest) || !journal.writable()) {
            flush();
        } else {
            journal.writeUnwritten();
        }
    }

    @Override
    public void close() {
        if (commitHook != null) {
            commitHook.detach();
        }
    }

    private void combine(JournalEntry.Changes entry) {
        SegmentDelta.Contribution c = entry.contribution();
        pending.add(c);
        earliest = Math.min(earliest, entry.timestamp());
        newest = Math.max(newest, entry.timestamp());
        unsent = new SegmentDelta.Watermark(c.sourcePartition(), c.streamTime(), c.latestEvent());
    }

    /** Sends the summed changes, then the watermark; a no-op when nothing was combined since the last flush. */
    private void flush() {
        if (unsent == null) {
            return;
        }
        List<SegmentDelta.Batch> batches = pending.drain(segmentPartitions, unsent.sourcePartition());
        for (SegmentDelta.Batch batch : batches) {
            context.forward(new Record<>(null, batch, earliest));
        }
        context.forward(new Record<>(null, unsent, earliest));
        journal.flushed(unsent.streamTime());
        unsent = null;
        earliest = Long.MAX_VALUE;
    }
}
