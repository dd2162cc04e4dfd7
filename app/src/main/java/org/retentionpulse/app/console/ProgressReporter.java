package org.retentionpulse.app.console;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Shows the progress of long work (replay, bench, generate) to a person: on a terminal one line redrawn in place
 * with a bar, every half second; otherwise (a log, a pipe, CI) a plain line every few seconds. Why both: a bar is
 * what a person at a terminal reads, while carriage returns make a log file unreadable.
 */
public final class ProgressReporter implements AutoCloseable {
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final long everyNanos;
    private long lastReport;
    private int lastLength;
    private boolean lineOpen;

    ProgressReporter(PrintStream out, boolean terminal, long everyNanos) {
        this.out = out;
        this.terminal = terminal;
        this.everyNanos = everyNanos;
        this.lastReport = System.nanoTime();
    }

    /** A reporter on {@code out}: bar and in-place redraw when the process has a terminal, lines otherwise. */
    public static ProgressReporter to(PrintStream out) {
        boolean terminal = System.console() != null;
        return new ProgressReporter(out, terminal, TimeUnit.MILLISECONDS.toNanos(terminal ? 500 : 5_000));
    }

    /**
     * Shows {@code text} if the last report is old enough.
     *
     * @param fraction how much is done, 0..1, or {@link Double#NaN} when unknown (no bar then)
     */
    public void report(double fraction, String text) {
        long now = System.nanoTime();
        if (now - lastReport < everyNanos) {
            return;
        }
        lastReport = now;
        if (!terminal) {
            out.println("  " + text);
            return;
        }
        String line = (Double.isNaN(fraction) ? "" : bar(fraction) + " ") + text;
        // Pad over the rest of a longer previous line; no newline, so the next report overwrites this one.
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
        lineOpen = true;
    }

    /** Ends the in-place line, so what is printed next starts on a line of its own. */
    @Override
    public void close() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    static String bar(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        int full = (int) Math.round(f * BAR_WIDTH);
        return "[" + "#".repeat(full) + ".".repeat(BAR_WIDTH - full) + "]" + String.format(Locale.ROOT, " %3.0f%%", 100 * f);
    }

    /** "~42 s left", "~3 min left", or "time left unknown" while nothing is done yet. */
    public static String timeLeft(double remaining, double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            return "time left unknown";
        }
        double seconds = remaining / ratePerSecond;
        return seconds < 120 ? String.format(Locale.ROOT, "~%.0f s left", seconds)
                : String.format(Locale.ROOT, "~%.0f min left", seconds / 60);
    }
}
