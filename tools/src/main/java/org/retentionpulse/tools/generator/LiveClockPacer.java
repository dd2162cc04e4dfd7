package org.retentionpulse.tools.generator;

/**
 * Writes each event when its event time comes on the wall clock, compressed by a speed-up factor: the
 * live start maps to the first call for an event at or after it, {@code liveFrom + d} of event time to
 * {@code d / speedup} later. Events before the live start (the backfilled history) and events whose time has
 * already come (delayed ones, or a slow sink) are written at once.
 */
final class LiveClockPacer implements Pacer {

    private final long liveFromMillis;
    private final double speedup;
    private final PaceClock clock;
    private long wallStartNanos;
    private boolean started;

    LiveClockPacer(final long liveFromMillis, final double speedup, final PaceClock clock) {
        if (!(speedup > 0)) {
            throw new IllegalArgumentException("speedup must be positive");
        }
        this.liveFromMillis = liveFromMillis;
        this.speedup = speedup;
        this.clock = clock;
    }

    @Override
    public void awaitTurn(final long eventTimeMillis) throws InterruptedException {
        if (eventTimeMillis < liveFromMillis) {
            return;
        }
        if (!started) {
            wallStartNanos = clock.nanoTime();
            started = true;
        }
        final double due = wallStartNanos + (eventTimeMillis - liveFromMillis) * 1e6 / speedup;
        final double wait = due - clock.nanoTime();
        if (wait > 0) {
            clock.sleepNanos((long) Math.ceil(wait));
        }
    }
}
