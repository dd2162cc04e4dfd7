package org.retentionpulse.tools.generator;

/**
 * Paces writes at a fixed rate with a token bucket holding 20 ms worth of tokens (at least one): the
 * long-run rate is exact, bursts stay short, and when the bucket is empty the thread sleeps until it is
 * full again, so at high rates it sleeps once per burst rather than once per event. Implemented as a
 * virtual scheduling clock (GCRA), in nanoseconds.
 */
final class TokenBucketPacer implements Pacer {

    private static final double BURST_SECONDS = 0.02;

    private final PaceClock clock;
    private final double intervalNanos;
    private final double burstNanos;
    private final double lagAllowanceNanos;
    private double theoreticalArrival = Double.NaN;

    TokenBucketPacer(final double eventsPerSecond, final PaceClock clock) {
        if (!(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("eventsPerSecond must be positive");
        }
        this.clock = clock;
        this.intervalNanos = 1e9 / eventsPerSecond;
        final double capacity = Math.max(1, Math.floor(eventsPerSecond * BURST_SECONDS));
        this.burstNanos = (capacity - 1) * intervalNanos;
        this.lagAllowanceNanos = Math.max(burstNanos, BURST_SECONDS * 1e9);
    }

    @Override
    public void awaitTurn(final long eventTimeMillis) throws InterruptedException {
        final double now = clock.nanoTime();
        if (Double.isNaN(theoreticalArrival)) {
            theoreticalArrival = now;
        } else if (theoreticalArrival < now - lagAllowanceNanos) {
            // After a stall, no catching up on time not spent writing; a small lag (a sleep that overslept)
            // is made up, so the long-run rate stays exact.
            theoreticalArrival = now - lagAllowanceNanos;
        }
        if (theoreticalArrival - burstNanos > now) {
            // Wait for the whole bucket to refill, so the next burst passes without sleeping per event.
            clock.sleepNanos((long) Math.ceil(theoreticalArrival - now));
        }
        theoreticalArrival += intervalNanos;
    }
}
