package org.retentionpulse.tools.generator;

/** A clock that only moves when someone sleeps on it (or {@link #advance} is called). */
final class FakePaceClock implements PaceClock {

    long now = 1_000_000_000L;
    long slept;
    int sleeps;
    /** Runs after each sleep. */
    Runnable afterSleep = () -> { };

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleepNanos(final long nanos) {
        now += nanos;
        slept += nanos;
        sleeps++;
        afterSleep.run();
    }

    void advance(final long nanos) {
        now += nanos;
    }
}
