package org.retentionpulse.tools.generator;

import java.time.Duration;
import java.util.Objects;

/**
 * How often the generator breaks the rules on purpose, so the pipeline's dead-letter, de-duplication and
 * lateness handling have something to do. Every rate is a fraction of the clean events.
 *
 * @param duplicateRate     fraction of events written a second time, same record and event id
 * @param invalidRate       fraction of events followed by an extra record the spec rejects (see {@link Fault})
 * @param outOfOrderRate    fraction of events held back by up to {@code maxOutOfOrderDelay} of event time
 * @param maxOutOfOrderDelay the longest such delay; keep it within the pipeline's grace (default 3 h, grace 6 h)
 * @param lateRate          fraction of purchases and survey responses held back by at least {@code minLateDelay},
 *                          so they arrive after every window they belong to has closed
 * @param minLateDelay      the shortest late delay: longer than the longest window plus grace
 *                          (default 30 days + 7 h against {@code P30D/P1D} with grace {@code PT6H})
 */
public record FaultRates(
        double duplicateRate,
        double invalidRate,
        double outOfOrderRate,
        Duration maxOutOfOrderDelay,
        double lateRate,
        Duration minLateDelay) {

    /** The default delay bound for out-of-order events: half the default grace. */
    public static final Duration DEFAULT_MAX_OUT_OF_ORDER_DELAY = Duration.ofHours(3);

    /** The default shortest late delay: the default longest window (30 days) plus grace (6 h) plus a margin. */
    public static final Duration DEFAULT_MIN_LATE_DELAY = Duration.ofDays(30).plusHours(7);

    /** No faults: every event valid, once, in event-time order. */
    public static final FaultRates NONE =
            new FaultRates(0, 0, 0, DEFAULT_MAX_OUT_OF_ORDER_DELAY, 0, DEFAULT_MIN_LATE_DELAY);

    public FaultRates {
        requireFraction("duplicateRate", duplicateRate);
        requireFraction("invalidRate", invalidRate);
        requireFraction("outOfOrderRate", outOfOrderRate);
        requireFraction("lateRate", lateRate);
        if (outOfOrderRate + lateRate > 1) {
            throw new IllegalArgumentException("outOfOrderRate + lateRate must not exceed 1");
        }
        Objects.requireNonNull(maxOutOfOrderDelay, "maxOutOfOrderDelay");
        Objects.requireNonNull(minLateDelay, "minLateDelay");
        if (maxOutOfOrderDelay.toMillis() < 1 || minLateDelay.toMillis() < 1) {
            throw new IllegalArgumentException("delays must be at least 1 ms");
        }
    }

    private static void requireFraction(final String name, final double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within [0, 1], got " + value);
        }
    }

    /** Whether any fault is switched on. */
    public boolean any() {
        return duplicateRate > 0 || invalidRate > 0 || outOfOrderRate > 0 || lateRate > 0;
    }

    public FaultRates withDuplicateRate(final double rate) {
        return new FaultRates(rate, invalidRate, outOfOrderRate, maxOutOfOrderDelay, lateRate, minLateDelay);
    }

    public FaultRates withInvalidRate(final double rate) {
        return new FaultRates(duplicateRate, rate, outOfOrderRate, maxOutOfOrderDelay, lateRate, minLateDelay);
    }

    public FaultRates withOutOfOrder(final double rate, final Duration maxDelay) {
        return new FaultRates(duplicateRate, invalidRate, rate, maxDelay, lateRate, minLateDelay);
    }

    public FaultRates withLate(final double rate, final Duration minDelay) {
        return new FaultRates(duplicateRate, invalidRate, outOfOrderRate, maxOutOfOrderDelay, rate, minDelay);
    }
}
