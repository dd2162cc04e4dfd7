package org.retentionpulse.topology.combine;

import org.retentionpulse.topology.delta.SegmentDelta;

/** A value of the {@link DeltaJournal}'s store. */
public sealed interface JournalEntry {

    /**
     * What one record changed (with the task's watermark after it) in flush cycle {@code cycle}, and the record's
     * timestamp.
     */
    record Changes(long cycle, long timestamp, SegmentDelta.Contribution contribution) implements JournalEntry {
    }

    /** Every cycle up to and including {@code cycle} has been sent, the last with the watermark {@code streamTime}. */
    record Flushed(long cycle, long streamTime) implements JournalEntry {
    }
}
