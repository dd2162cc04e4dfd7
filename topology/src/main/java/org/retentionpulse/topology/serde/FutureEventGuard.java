package org.retentionpulse.topology.serde;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.retentionpulse.schemas.serde.InvalidEventException;
import org.retentionpulse.schemas.serde.RejectReason;

/**
 * The one rule for times from the future: an event (or a stream-time tick) whose time is more than
 * {@code maxFuture} ahead of the wall clock when it is read is rejected with {@link RejectReason#EVENT_TIME_IN_FUTURE}.
 *
 * <p>Why: stream time is the greatest event time a task has accepted, and nothing ever moves it back. One
 * purchase stamped 2099 by a producer with a broken clock would make every later event late, close every open
 * window early and leave the results wrong for good. Rejecting it to the dead-letter topic costs one event.
 * The wall clock is the only reference available that a bad record cannot move; {@code maxFuture} is the
 * clock skew tolerated between producers and this instance.
 */
public final class FutureEventGuard {
    private final Duration maxFuture;
    private final Clock clock;

    public FutureEventGuard(Duration maxFuture, Clock clock) {
        this.maxFuture = Objects.requireNonNull(maxFuture, "maxFuture");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxFuture.isNegative()) {
            throw new IllegalArgumentException("the tolerated future must not be negative, got " + maxFuture);
        }
    }

    /** A guard that accepts every time: for records that were checked when they entered the application. */
    public static FutureEventGuard acceptingAny() {
        return new FutureEventGuard(Duration.ofMillis(Long.MAX_VALUE), Clock.systemUTC());
    }

    /** Whether {@code epochMillis} lies more than the tolerated future ahead of the clock now. */
    public boolean isInFuture(long epochMillis) {
        return epochMillis > latestAccepted();
    }

    /**
     * Throws when {@code epochMillis} is too far ahead of the clock.
     *
     * @param what what carries the time, for the dead-letter message (e.g. {@code "occurred_at"})
     * @throws InvalidEventException with reason {@link RejectReason#EVENT_TIME_IN_FUTURE}
     */
    public void check(long epochMillis, String what) {
        long latest = latestAccepted();
        if (epochMillis > latest) {
            throw new InvalidEventException(RejectReason.EVENT_TIME_IN_FUTURE, what + " " + Instant.ofEpochMilli(epochMillis)
                    + " is more than " + maxFuture + " ahead of the clock (" + Instant.ofEpochMilli(latest - maxFuture.toMillis())
                    + "; setting input.max-future)");
        }
    }

    private long latestAccepted() {
        long now = clock.millis();
        long tolerance = maxFuture.toMillis();
        return now > Long.MAX_VALUE - tolerance ? Long.MAX_VALUE : now + tolerance;
    }
}
