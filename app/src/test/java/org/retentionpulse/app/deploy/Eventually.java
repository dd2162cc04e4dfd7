package org.retentionpulse.app.deploy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking it every {@link #INTERVAL}; never waits longer than needed. */
final class Eventually {
    static final Duration INTERVAL = Duration.ofMillis(250);

    private Eventually() {
    }

    /** The first present value {@code check} returns, or an AssertionError naming {@code what} and the last state. */
    static <T> T until(Duration timeout, String what, Supplier<Optional<T>> check, Supplier<String> lastState) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = check.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + "; last: " + lastState.get());
            }
            LockSupport.parkNanos(INTERVAL.toNanos());
        }
    }
}
