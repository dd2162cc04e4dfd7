package org.retentionpulse.app;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Waits for a condition with a deadline, polling; the last value or failure is in the error. */
public final class Eventually {
    private Eventually() {
    }

    /** Polls {@code probe} until {@code done} accepts its value; fails after {@code timeout}. */
    public static <T> T await(String what, Duration timeout, Callable<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception failure = null;
        while (true) {
            try {
                last = probe.call();
                failure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                failure = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError("timed out after " + timeout + " waiting for " + what + "; last value: " + last);
                if (failure != null) {
                    error.initCause(failure);
                }
                throw error;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }
}
