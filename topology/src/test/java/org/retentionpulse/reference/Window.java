package org.retentionpulse.reference;

import java.time.Duration;
import java.time.Instant;

/** One window {@code [start, start + size)} of a window spec. */
record Window(WindowSpecRef spec, Instant start) {

    Instant end() {
        return start.plus(spec.size());
    }

    boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end());
    }

    /** Closed once stream time has passed {@code end + grace}; at exactly {@code end + grace} it still accepts. */
    boolean isClosedAt(Instant streamTime, Duration grace) {
        return streamTime.isAfter(end().plus(grace));
    }
}
