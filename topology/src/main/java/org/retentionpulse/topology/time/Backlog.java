package org.retentionpulse.topology.time;

import java.time.Duration;

/**
 * When a task counts as catching up on a backlog rather than keeping up with live input: one rule, read by the delta
 * combiner (it flushes less often) and by the segment and cohort stages (they publish updates less often,
 * {@link UpdateCadence}); a task that is not behind asks Kafka Streams for a commit at its punctuations, one that is
 * leaves commits to the (backlog's) commit interval. A record's timestamp is its append time or its producer's, so a
 * task whose newest record is older than {@link #BEHIND} on the wall clock is reading records that are already seconds
 * late: another second or two costs them little, and every flush, update or commit it saves is work a backfill does
 * not do per record.
 */
public final class Backlog {
    /** How far behind the wall clock the newest record a task read may be while the task still counts as live. */
    public static final Duration BEHIND = Duration.ofSeconds(2);

    private Backlog() {
    }

    /** Whether a task whose newest record has {@code newestTimestamp} ({@link Long#MIN_VALUE}: none yet) is behind at {@code now}. */
    public static boolean behind(long now, long newestTimestamp) {
        return newestTimestamp != Long.MIN_VALUE && now - newestTimestamp > BEHIND.toMillis();
    }
}
