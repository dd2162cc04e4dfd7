package org.retentionpulse.topology.time;

import java.time.Duration;
import java.util.List;

/**
 * The configured window specs with their shared grace period and bucket width. A bucket is the greatest
 * common divisor of every size and advance, so every window is a whole number of buckets and per-bucket
 * counters can be summed into any window.
 */
public final class WindowSet {
    private final List<WindowSpec> specs;
    private final long graceMs;
    private final long bucketMs;
    private final long longestSizeMs;
    private final long closingGridMs;

    public WindowSet(List<WindowSpec> specs, Duration grace) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("at least one window spec is required");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        this.specs = List.copyOf(specs);
        this.graceMs = grace.toMillis();
        long gcd = 0;
        long longest = 0;
        for (WindowSpec spec : specs) {
            gcd = gcd(gcd, spec.sizeMs());
            gcd = gcd(gcd, spec.advanceMs());
            longest = Math.max(longest, spec.sizeMs());
        }
        this.bucketMs = gcd;
        this.longestSizeMs = longest;
        this.closingGridMs = gcd(gcd, DAY_MS);
    }

    private static final long DAY_MS = 86_400_000L;

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    public List<WindowSpec> specs() {
        return specs;
    }

    public int size() {
        return specs.size();
    }

    public WindowSpec get(int index) {
        return specs.get(index);
    }

    public long graceMs() {
        return graceMs;
    }

    public long bucketMs() {
        return bucketMs;
    }

    public long bucketOf(long t) {
        return Math.floorDiv(t, bucketMs) * bucketMs;
    }

    /** How long state about an instant stays useful: the longest window plus grace. */
    public long horizonMs() {
        return longestSizeMs + graceMs;
    }

    /**
     * A window closes once stream time passes its end plus grace. This is the one closing rule: the customer stage
     * applies it to its own stream time (which windows an event may count in), the segment stage to the minimum
     * over all customer tasks (when finals are due).
     */
    public boolean isClosed(long windowEnd, long streamTime) {
        return streamTime > windowEnd + graceMs;
    }

    /**
     * The first window of {@code spec} still open at {@code streamTime}: windows close in index order, so those
     * closed are exactly the indexes below it. {@code Long.MIN_VALUE} when nothing has been seen yet.
     */
    public long firstOpenIndex(WindowSpec spec, long streamTime) {
        if (streamTime == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        // open iff end + grace >= streamTime, end = k * advance + size
        return -Math.floorDiv(-(streamTime - graceMs - spec.sizeMs()), spec.advanceMs());
    }

    /**
     * Which closing points {@code streamTime} has passed, as a number that grows with it: every window ends on a bucket
     * boundary and every cohort period ({@link CohortSpec}: days, ISO weeks, calendar months) on a day boundary, and
     * each closes at its end plus grace ({@link #isClosed}), so two stream times with the same step have exactly the
     * same windows and cohort periods closed, and decide lateness alike. {@code Long.MIN_VALUE} before anything.
     */
    public long closingStep(long streamTime) {
        if (streamTime == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return Math.floorDiv(streamTime - graceMs - 1, closingGridMs);
    }

    /**
     * The cell of the closing grid (every window end and cohort period end lies on it: see {@link #closingStep}) that
     * holds {@code t}: two instants in the same cell start the same windows and cohort periods.
     */
    public long gridCell(long t) {
        return t == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(t, closingGridMs);
    }

    /** True when every window (of every spec) containing {@code t} is closed at {@code streamTime}. */
    public boolean isLate(long t, long streamTime) {
        for (WindowSpec spec : specs) {
            if (!isClosed(spec.latestEndContaining(t), streamTime)) {
                return false;
            }
        }
        return true;
    }
}
