package org.retentionpulse.topology.combine;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Makes a customer task's combined but unsent changes survive a crash. Under exactly-once a commit can fall between
 * two flushes: the input offsets it commits must then come with the changes of those records, or a restart would
 * skip them. So the records of the open cycle ({@link #add}) are written to the logged {@value #STORE} store no later
 * than the commit that stores their offsets ({@link #writeUnwritten}: at the commit, or at once where nothing calls
 * the combiner before a commit), unless the cycle is sent first, as it must be when it holds a record that was not
 * kept ({@link #writable}); a restored task sums the entries of the open cycle again ({@link #restore}). A cycle sent before any commit fell inside it writes nothing, which is every cycle of a
 * backlog (the combiner sends before each commit while behind, see {@link DeltaCombiner}).
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
    /** The next free slot of the current cycle. */
    private int next;
    /** The records of the current cycle, written or not: what {@link #full} counts. */
    private int records;
    /** The current cycle's records kept but not written yet, in arrival order. */
    private final List<JournalEntry.Changes> unwritten = new ArrayList<>();
    /** Whether the current cycle has entries in the store (written, or restored), which its flush must mark stale. */
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
        records = next;
    }

    /**
     * Counts one record's changes in the current cycle; {@code keep}s them for {@link #writeUnwritten} unless the cycle
     * is sent first. A record not kept (a backlog's: its cycle is sent before the commit) leaves the cycle
     * {@linkplain #writable unwritable}, and the changes become garbage once summed.
     */
    void add(JournalEntry.Changes entry, boolean keep) {
        records++;
        if (keep) {
            unwritten.add(entry);
        }
    }

    /** Whether {@link #writeUnwritten} would leave every record of the current cycle in the store. */
    boolean writable() {
        return next + unwritten.size() == records;
    }

    /** Writes the current cycle's records not written yet: before a commit stores their offsets. */
    void writeUnwritten() {
        for (JournalEntry.Changes entry : unwritten) {
            store.put(next++, entry);
            journaled = true;
        }
        unwritten.clear();
    }

    /** The cycle new entries belong to. */
    long cycle() {
        return cycle;
    }

    /** Whether the current cycle holds as many records as a flush may combine. */
    boolean full() {
        return records >= capacity;
    }

    /** The stream time of the last watermark sent ({@code Long.MIN_VALUE} before the first). */
    long sentStreamTime() {
        return sentStreamTime;
    }

    /**
     * The current cycle has been sent with the watermark {@code streamTime}: its entries become stale, the next cycle
     * starts at slot 0. Recorded only when the cycle has entries in the store, so a cycle that wrote none writes
     * nothing.
     */
    void flushed(long streamTime) {
        sentStreamTime = streamTime;
        unwritten.clear();
        records = 0;
        if (journaled) {
            store.put(FLUSHED_SLOT, new JournalEntry.Flushed(cycle, streamTime));
            journaled = false;
        }
        cycle++;
        next = 0;
    }
}
