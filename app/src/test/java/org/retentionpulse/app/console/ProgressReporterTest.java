package org.retentionpulse.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void onATerminalOneLineIsRedrawnInPlaceWithABarAndEndedOnClose() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressReporter reporter = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 0)) {
            reporter.report(0.25, "a longer first line");
            reporter.report(0.5, "short");
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("\r[######..................]  25% a longer first line"
                + "\r[############............]  50% short" + " ".repeat("a longer first line".length() - "short".length())
                + System.lineSeparator(), out);
    }

    @Test
    void inALogEachReportIsALineOfItsOwnWithoutCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressReporter reporter = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 0)) {
            reporter.report(0.25, "one");
            reporter.report(Double.NaN, "two");
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("  one" + System.lineSeparator() + "  two" + System.lineSeparator(), out);
        assertFalse(out.contains("\r"));
    }

    @Test
    void reportsCloserThanTheIntervalAreDropped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressReporter reporter = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                java.util.concurrent.TimeUnit.HOURS.toNanos(1))) {
            reporter.report(0.1, "too soon");
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void timeLeftIsInSecondsThenMinutesAndUnknownBeforeAnyProgress() {
        assertEquals("~42 s left", ProgressReporter.timeLeft(420, 10));
        assertEquals("~5 min left", ProgressReporter.timeLeft(3000, 10));
        assertEquals("time left unknown", ProgressReporter.timeLeft(100, 0));
    }

    @Test
    void consumptionCountsInputEventsOnlySoRepartitionBacklogNeverMakesItGoBack() {
        ConsumptionProgress progress = new ConsumptionProgress("pipeline", 1_000, true);
        String early = progress.line(600, 50);
        String later = progress.line(100, 5_000);
        assertTrue(early.startsWith("pipeline: 400 / 1,000 input events"), early);
        assertTrue(later.startsWith("pipeline: 900 / 1,000 input events"), later);
        assertTrue(later.endsWith("; 5,000 repartition records behind"), later);
        assertEquals(0.9, progress.fraction(100), 1e-12);
        // Transaction markers take offsets: "behind" above the total is clamped, not shown as negative progress.
        assertTrue(progress.line(1_003, 0).startsWith("pipeline: 0 / 1,000"));
        assertTrue(progress.line(0, 12).startsWith("pipeline: all 1,000 input events read by"), progress.line(0, 12));
    }
}
