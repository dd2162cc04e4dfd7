package org.retentionpulse.tools.generator;

/** Decides when the next event may be written. */
interface Pacer {

    /** Writes as fast as the sink accepts. */
    Pacer UNPACED = eventTimeMillis -> { };

    /** The pace a configuration asks for: live, a fixed rate, or none. */
    static Pacer of(final GeneratorConfig config, final PaceClock clock) {
        if (config.live()) {
            return new LiveClockPacer(config.liveFrom().toEpochMilli(), config.speedup(), clock);
        }
        if (config.eventsPerSecond() > 0) {
            return new TokenBucketPacer(config.eventsPerSecond(), clock);
        }
        return UNPACED;
    }

    /** Blocks until the event with the given stream time (epoch milliseconds) may be written. */
    void awaitTurn(long eventTimeMillis) throws InterruptedException;
}
