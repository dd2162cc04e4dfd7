package org.retentionpulse.tools.generator;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a {@link EventGenerator#writeTo} run stands.
 *
 * @param eventsWritten   events written by this run so far, duplicates and invalid records included
 * @param elapsed         wall-clock time since the run started
 * @param eventsPerSecond average write rate of the run so far
 * @param eventTime       event time the stream has reached (the newest event written), or null before the first
 * @param finished        whether this is the run's last report
 */
public record GenerationProgress(
        long eventsWritten,
        Duration elapsed,
        double eventsPerSecond,
        Instant eventTime,
        boolean finished) {
}
