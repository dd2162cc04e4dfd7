package org.retentionpulse.topology.combine;

import java.time.Duration;
import java.util.Objects;
import org.retentionpulse.topology.time.Backlog;
import org.retentionpulse.topology.time.UpdateCadence;

/**
 * How a customer task combines the segment changes of its records before the {@code segment-deltas} repartition topic
 * ({@link DeltaCombiner}).
 *
 * @param interval how long changes are combined, in wall-clock time; zero sends each record's changes on their own
 *                 (one batch per segment partition per record, as TopologyTestDriver tests expect)
 * @param maxEvents at most this many records are combined into one flush (bounds the unsent changes a task holds, and
 *                  the {@link DeltaJournal} where it is written)
 */
public record DeltaCombining(Duration interval, int maxEvents) {
    /** Each record's changes sent on their own. */
    public static final DeltaCombining PER_RECORD = new DeltaCombining(Duration.ZERO, 1);
    /** The upper bound of {@link #maxEvents}: the journal holds that many entries in memory. */
    public static final int MAX_EVENTS_LIMIT = 1_000_000;

    public DeltaCombining {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the combine interval must not be negative, got " + interval);
        }
        if (maxEvents < 1 || maxEvents > MAX_EVENTS_LIMIT) {
            throw new IllegalArgumentException("the combined records per flush must be 1 to " + MAX_EVENTS_LIMIT + ", got " + maxEvents);
        }
    }


    /**
     * The flush interval while the task is {@linkplain Backlog#behind behind}: {@link Backlog#BEHIND}, or the interval
     * if longer. Why: in a backlog the segment stage's partition gets about as many bytes per fetch as one input
     * partition (Kafka Streams polls with empty queues; the consumer fetches from a broker only when none of its
     * partitions holds fetched records), so it keeps up only if the batches carry a small fraction of the input's
     * bytes; a batch holds the same keys (segments, windows, cohort cells) whatever the number of records summed, so
     * longer cycles carry fewer bytes per record. Live records keep the short interval and its latency.
     */
    public Duration backlogInterval() {
        return interval.compareTo(Backlog.BEHIND) > 0 ? interval : Backlog.BEHIND;
    }

    /**
     * The least time between two publications of the segment and cohort stages while they are behind
     * ({@link UpdateCadence}): this backlog interval when records are combined, else {@code updateInterval} (each
     * record's changes are sent on their own, and published as they come).
     */
    public Duration updateBacklogInterval(Duration updateInterval) {
        return combines() && backlogInterval().compareTo(updateInterval) > 0 ? backlogInterval() : updateInterval;
    }

    /** Whether records are combined (a non-zero interval and more than one record per flush). */
    public boolean combines() {
        return !interval.isZero() && maxEvents > 1;
    }
}
