package org.retentionpulse.reference;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A window specification {@code size/advance} of the metric contract, e.g. {@code P30D/P1D}: windows of length
 * {@code size} starting at every multiple of {@code advance} since the UTC epoch, half-open {@code [start, end)}.
 * A single duration ({@code P1D}) means a tumbling window. {@link #text()} is the name used in metric keys.
 */
public record WindowSpecRef(String text, Duration size, Duration advance) {

    public WindowSpecRef {
        Objects.requireNonNull(text, "text");
        if (size.isNegative() || size.isZero() || advance.isNegative() || advance.isZero()) {
            throw new IllegalArgumentException("window size and advance must be positive: " + text);
        }
        if (advance.compareTo(size) > 0) {
            throw new IllegalArgumentException("window advance must not exceed its size: " + text);
        }
        if (size.toNanos() % 1_000_000 != 0 || advance.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("window size and advance must be whole milliseconds: " + text);
        }
    }

    /** Parses {@code size/advance} (ISO-8601 durations such as {@code P1D}, {@code PT1H}). */
    public static WindowSpecRef parse(String spec) {
        String[] parts = spec.trim().split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("window spec must be size/advance, e.g. P30D/P1D: " + spec);
        }
        String size = parts[0].trim();
        String advance = parts.length == 2 ? parts[1].trim() : size;
        return new WindowSpecRef(size + "/" + advance, duration(size, spec), duration(advance, spec));
    }

    /** Parses a comma-separated list, e.g. {@code P1D/P1D,P2D/P1D}. */
    public static List<WindowSpecRef> parseAll(String specs) {
        List<WindowSpecRef> parsed = new ArrayList<>();
        for (String spec : specs.split(",")) {
            parsed.add(parse(spec));
        }
        return List.copyOf(parsed);
    }

    private static Duration duration(String iso, String spec) {
        try {
            return Duration.parse(iso);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 duration in window spec " + spec + ": " + iso, e);
        }
    }

    /** Starts of every window of this spec that contains instant {@code t}: {@code start <= t < start + size}. */
    public List<Instant> startsContaining(Instant t) {
        long sizeMs = size.toMillis();
        long advanceMs = advance.toMillis();
        // Window bounds are whole milliseconds, so comparing the instant's floored millisecond is exact.
        long tMs = t.toEpochMilli();
        long first = Math.floorDiv(tMs - sizeMs, advanceMs) + 1;
        long last = Math.floorDiv(tMs, advanceMs);
        List<Instant> starts = new ArrayList<>();
        for (long k = first; k <= last; k++) {
            starts.add(Instant.ofEpochMilli(k * advanceMs));
        }
        return starts;
    }

    @Override
    public String toString() {
        return text;
    }
}
