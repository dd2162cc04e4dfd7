package org.retentionpulse.app.console;

import java.util.Locale;

/**
 * The progress of an application reading a known number of input events, from its committed-offset lag: e.g.
 * {@code pipeline: 412,000 / 1,000,000 input events, 13,870/s, ~42 s left; 1,024 repartition records behind}. Once
 * every input is read, the repartition backlog's own rate and time left (the segment stage can trail the customer
 * stage by most of a run). Counts input events, never repartition records, so the figure only rises.
 */
public final class ConsumptionProgress {
    private final String phase;
    private final long total;
    private final boolean internal;
    private final long start = System.nanoTime();
    private long inputsReadAt = -1;
    private long internalBehindThen;

    /**
     * @param total input events the application has to read (0: unknown, only what is left is shown)
     * @param internal whether it also has internal (repartition) topics to drain
     */
    public ConsumptionProgress(String phase, long total, boolean internal) {
        this.phase = phase;
        this.total = total;
        this.internal = internal;
    }

    /** Share of the input read, 0..1, or NaN when the total is unknown. */
    public double fraction(long inputBehind) {
        return total > 0 ? (double) done(inputBehind) / total : Double.NaN;
    }

    public String line(long inputBehind, long internalBehind) {
        long now = System.nanoTime();
        if (total > 0 && inputBehind == 0) {
            if (inputsReadAt < 0) {
                inputsReadAt = now;
                internalBehindThen = internalBehind;
            }
            String line = String.format(Locale.ROOT, "%s: all %,d input events read by %.0f s", phase, total, (inputsReadAt - start) / 1e9);
            if (!internal) {
                return line;
            }
            double rate = (internalBehindThen - internalBehind) / Math.max(1e-9, (now - inputsReadAt) / 1e9);
            return line + String.format(Locale.ROOT, "; %,d repartition records behind, %,.0f/s, %s", internalBehind, rate,
                    ProgressReporter.timeLeft(internalBehind, rate));
        }
        String line;
        if (total > 0) {
            long done = done(inputBehind);
            double rate = done / Math.max(1e-9, (now - start) / 1e9);
            line = String.format(Locale.ROOT, "%s: %,d / %,d input events, %,.0f/s, %s", phase, done, total, rate,
                    ProgressReporter.timeLeft(total - done, rate));
        } else {
            line = String.format(Locale.ROOT, "%s: %,d input records behind", phase, inputBehind);
        }
        return internal ? line + String.format(Locale.ROOT, "; %,d repartition records behind", internalBehind) : line;
    }

    /** Transaction markers take offsets too, so "behind" can exceed the events left by a little: clamped. */
    private long done(long inputBehind) {
        return Math.max(0, Math.min(total, total - inputBehind));
    }
}
