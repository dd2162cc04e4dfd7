package org.retentionpulse.topology.combine;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Makes a customer task's combined but unsent changes survive a crash when nothing sends them before each commit.
 * Under exactly-once a commit can fall between two flushes: the input offsets it commits must then come with the
 * changes of those records, or a restart would skip them. The {@link DeltaCombiner} sends its changes before every
 * commit ({@link CommitHook}), so in Kafka Streams no cycle is ever open at a commit and nothing is appended here; where
 * that hook is not available (a {@code MockProcessorContext}), each record's changes are written to the logged
 * {@value #STORE} store as they are combined, and a restored task sums the entries of the open cycle again
 * ({@link #restore}). A task also restores the open cycle an earlier release journaled (every record's changes went
 * here then), and marks it sent once it has sent it.
 *
 * <p>Why not one entry per segment and key in a cached store (the changes summed by the cache): a record touches
 * dozens of keys (four segments, each with buckets, window entries and cohort cells), and a get and a put per key
 * costs what applying the change at the segment stage costs; one put of the record's changes costs one serialisation,
 * as the repartition record it replaces did.
 */
final class DeltaJournal {
    /**
     * slot (int) -> {@link JournalEntry}: slots {@code 0 .. maxEvents-1} hold the records of the current flush cycle
     * in arrival order ({@link JournalEntry.Changes}, each with its cycle number), slot {@value #FLUSHED_SLOT} the last
     * cycle sent and its watermark ({@link JournalEntry.Flushed}). A new cycle overwrites the slots from 0; an entry whose cycle is not
     * newer than the flushed one is stale and ignored. In memory, logged; at most {@code maxEvents + 1} keys, so the
     * compacted changelog stays that small (small segments let the cleaner keep up: see the store builder).
     */
    static final String STORE = "segment-delta-journal";
    static final int FLUSHED_SLOT = -1;

    private final KeyValueStore<Integer, JournalEntry> store;
    private final int capacity;
    private long cycle;
    private int next;
    /** Whether the current cycle has entries in the store (appended, or restored), which its flush must mark stale. */
    private boolean journaled;
    private long sentStreamTime = Long.MIN_VALUE;

    DeltaJournal(KeyValueStore<Integer, JournalEntry> store, int capacity) {
        this.store = store;
        this.capacity = capacity;
    }

    /** Reads the store: the records of the unsent cycle go to {@code sink}, in any order (they are summed). */
    void restore(java.util.function.Consumer<JournalEntry.Changes> sink) {
        JournalEntry flushed = store.get(FLUSHED_SLOT);
        long sent = -1;
        if (flushed instanceof JournalEntry.Flushed f) {
            sent = f.cycle();
            sentStreamTime = f.streamTime();
        }
        cycle = sent + 1;
        next = 0;
        try (KeyValueIterator<Integer, JournalEntry> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Integer, JournalEntry> kv = it.next();
                if (kv.value instanceof JournalEntry.Changes c && c.cycle() == cycle) {
                    sink.accept(c);
                    next = Math.max(next, kv.key + 1);
                    journaled = true;
                }
            }
        }
    }

    /** Records one record's changes in the current cycle. */
    void append(JournalEntry.Changes entry) {
        store.put(next++, entry);
        journaled = true;
    }

    /** The cycle new entries belong to. */
    long cycle() {
        return cycle;
    }

    /** Whether the current cycle holds as many records as a flush may combine. */
    boolean full() {
        return next >= capacity;
    }

    /** The stream time of the last watermark sent ({@code Long.MIN_VALUE} before the first). */
    long sentStreamTime() {
        return sentStreamTime;
    }

    /**
     * The current cycle has been sent with the watermark {@code streamTime}: its entries become stale, the next cycle
     * starts at slot 0. Recorded only when the cycle has entries in the store, so a task that journals nothing writes
     * nothing.
     */
    void flushed(long streamTime) {
        sentStreamTime = streamTime;
        if (journaled) {
            store.put(FLUSHED_SLOT, new JournalEntry.Flushed(cycle, streamTime));
            journaled = false;
        }
        cycle++;
        next = 0;
    }
}
