package org.retentionpulse.tools.generator;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The outcome of one {@link EventGenerator#writeTo} run.
 *
 * @param eventsWritten events written, duplicates and invalid records included
 * @param byFault       events written per {@link Fault} ({@link Fault#NONE} = clean events in order)
 * @param elapsed       wall-clock duration of the run
 * @param exhausted     whether the generator has no events left (period over or target reached), rather than
 *                      the run stopping at its own limit or on {@link EventGenerator#stop()}
 */
public record GenerationSummary(
        long eventsWritten,
        Map<Fault, Long> byFault,
        Duration elapsed,
        boolean exhausted) {

    public GenerationSummary {
        final Map<Fault, Long> copy = new EnumMap<>(Fault.class);
        copy.putAll(byFault);
        byFault = Collections.unmodifiableMap(copy);
    }

    /** Events written with the given fault marker. */
    public long count(final Fault fault) {
        return byFault.getOrDefault(fault, 0L);
    }

    /** Average write rate of the run. */
    public double eventsPerSecond() {
        final double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? eventsWritten / seconds : 0;
    }
}
