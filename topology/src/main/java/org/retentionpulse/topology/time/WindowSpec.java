package org.retentionpulse.topology.time;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A window specification {@code size/advance} in ISO-8601 durations, e.g. {@code P30D/P1D}: windows of
 * length {@code size} starting at every multiple of {@code advance} since the UTC epoch, half-open
 * {@code [start, end)}. Windows are addressed by their index {@code k}: {@code start = k * advance}.
 */
public final class WindowSpec {
    private final String text;
    private final long sizeMs;
    private final long advanceMs;

    private WindowSpec(String text, long sizeMs, long advanceMs) {
        this.text = text;
        this.sizeMs = sizeMs;
        this.advanceMs = advanceMs;
    }

    /** Parses {@code size/advance}; a single duration means a tumbling window ({@code P1D} = {@code P1D/P1D}). */
    public static WindowSpec parse(String text) {
        Objects.requireNonNull(text, "window spec");
        String trimmed = text.trim();
        String[] parts = trimmed.split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("window spec must be size/advance, e.g. P30D/P1D: " + text);
        }
        Duration size = duration(parts[0], text);
        Duration advance = parts.length == 2 ? duration(parts[1], text) : size;
        if (size.isNegative() || size.isZero() || advance.isNegative() || advance.isZero()) {
            throw new IllegalArgumentException("window size and advance must be positive: " + text);
        }
        if (advance.compareTo(size) > 0) {
            throw new IllegalArgumentException("window advance must not exceed its size: " + text);
        }
        return new WindowSpec(parts[0] + "/" + (parts.length == 2 ? parts[1] : parts[0]), size.toMillis(), advance.toMillis());
    }

    private static Duration duration(String iso, String whole) {
        try {
            return Duration.parse(iso.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 duration (e.g. P1D, PT6H) in window spec " + whole + ": " + iso, e);
        }
    }

    public long sizeMs() {
        return sizeMs;
    }

    public long advanceMs() {
        return advanceMs;
    }

    public long start(long index) {
        return index * advanceMs;
    }

    public long end(long index) {
        return index * advanceMs + sizeMs;
    }

    /** Index of the last (latest-starting) window containing {@code t}. */
    public long lastIndexContaining(long t) {
        return Math.floorDiv(t, advanceMs);
    }

    /** Index of the first (earliest-starting) window containing {@code t}. */
    public long firstIndexContaining(long t) {
        return Math.floorDiv(t - sizeMs, advanceMs) + 1;
    }

    /**
     * Index of the <em>current</em> window at stream time {@code t}: the window containing {@code t} that ends
     * first, i.e. the one whose last advance step holds {@code t}. For {@code P30D/P1D} that is the 30 days
     * ending at the end of {@code t}'s day, for {@code P1D/P1D} the day itself; not the window with the greatest
     * start (which holds only the current day of a rolling spec). The one definition of "current" used by the
     * Prometheus gauges, the demo view and the HTTP API.
     *
     * <p>A reader of the output knows the greatest window start {@code L} it has seen, not the stream time;
     * stream time lies in {@code [L, L + advance)}, and when the size is a multiple of the advance (every spec
     * of whole days advancing by a day) {@code currentIndex(L) == currentIndex(t)} for every such {@code t}, so
     * {@code L} may be passed instead.
     */
    public long currentIndex(long t) {
        return firstIndexContaining(t);
    }

    /** End of the latest window that contains {@code t}: after it closes, {@code t} is late for this spec. */
    public long latestEndContaining(long t) {
        return end(lastIndexContaining(t));
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowSpec w && w.sizeMs == sizeMs && w.advanceMs == advanceMs;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sizeMs) * 31 + Long.hashCode(advanceMs);
    }
}
