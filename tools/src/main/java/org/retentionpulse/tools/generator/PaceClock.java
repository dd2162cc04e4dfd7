package org.retentionpulse.tools.generator;

import java.util.concurrent.locks.LockSupport;

/** The wall clock a {@link Pacer} reads and waits on; tests substitute one that advances when asked to wait. */
interface PaceClock {

    /** The system's monotonic clock. */
    PaceClock SYSTEM = new PaceClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(final long nanos) throws InterruptedException {
            // parkNanos is finer than Thread.sleep, which rounds to whole milliseconds.
            LockSupport.parkNanos(nanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    };

    /** Monotonic time in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits about {@code nanos} nanoseconds. */
    void sleepNanos(long nanos) throws InterruptedException;
}
