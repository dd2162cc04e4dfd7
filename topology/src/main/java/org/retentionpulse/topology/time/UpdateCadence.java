package org.retentionpulse.topology.time;

import java.time.Duration;

/**
 * When a stage that publishes coalesced updates (the segment and cohort stages) publishes: at every update punctuation
 * while it keeps up, and while it is {@linkplain Backlog#behind behind} at most once per {@code backlogInterval}. The
 * contract asks for at most one update per key per interval, so fewer in a backlog stay within it; what is counted
 * and every final are unchanged. Why: in a backfill each punctuation re-publishes nearly every open window of nearly
 * every segment (the batches of every customer task change them): 28 % of the stream thread in a profiled 1M-event
 * backfill, 12 % with this cadence; 3-4 % less stream-thread CPU per backfill event in whole runs (BENCHMARKS.md,
 * session 14). The cost is per wall-clock second, so a slower machine pays more of it per event.
 *
 * <p>One per stage instance: it remembers the newest record the stage read and when it last published.
 */
public final class UpdateCadence {
    private final Duration interval;
    private final long backlogIntervalMs;
    private long newestRead = Long.MIN_VALUE;
    private long lastPublishedAt = Long.MIN_VALUE;
    private boolean readSincePublished;

    /**
     * @param interval        the update punctuation's interval (zero: no updates, finals only)
     * @param backlogInterval the least time between two publications while behind (the interval or less: every punctuation)
     */
    public UpdateCadence(Duration interval, Duration backlogInterval) {
        if (interval.isNegative() || backlogInterval.isNegative()) {
            throw new IllegalArgumentException("update intervals must not be negative, got " + interval + " and " + backlogInterval);
        }
        this.interval = interval;
        this.backlogIntervalMs = backlogInterval.toMillis();
    }

    /** Every update punctuation's, on the wall clock. */
    public Duration interval() {
        return interval;
    }

    /** Whether updates are published at all (else finals only). */
    public boolean publishes() {
        return !interval.isZero();
    }

    /** The stage read a record with this timestamp. */
    public void read(long timestamp) {
        newestRead = Math.max(newestRead, timestamp);
        readSincePublished = true;
    }

    /** Whether an update punctuation at {@code now} publishes. */
    public boolean due(long now) {
        return !behind(now) || lastPublishedAt == Long.MIN_VALUE || now - lastPublishedAt >= backlogIntervalMs;
    }

    /**
     * Whether the stage is behind at {@code now}. A stage that is not asks for a commit after it published, so that its
     * updates reach read-committed consumers now rather than at the (backlog's) commit interval.
     */
    public boolean behind(long now) {
        return Backlog.behind(now, newestRead);
    }

    /**
     * Whether a publication at {@code now} covers only the latest window of each spec that stream time has reached: while
     * behind and reading (a record read since the last publication). The other open windows keep their last update
     * until a publication of every window: the first one after the stage caught up or stopped reading (an idle stage
     * counts as behind, but reads nothing new), or their final. Why: each spec has many open windows at a time (31 of
     * {@code P30D/P1D} with the default grace) and in a backfill every batch changes all of them, so a publication of
     * every open window cost dozens of records per segment and metric where dashboards read the latest one; a backfill
     * passes an older window's whole life in seconds, and its final comes at once.
     */
    public boolean latestWindowsOnly(long now) {
        return behind(now) && readSincePublished;
    }

    /** The stage published at {@code now}. */
    public void published(long now) {
        lastPublishedAt = now;
        readSincePublished = false;
    }
}
