package org.retentionpulse.topology.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The current window of a spec: the one whose last day holds the stream time, not the one that starts latest. */
class CurrentWindowTest {
    private static Instant currentStart(String spec, String streamTime) {
        WindowSpec w = WindowSpec.parse(spec);
        return Instant.ofEpochMilli(w.start(w.currentIndex(Instant.parse(streamTime).toEpochMilli())));
    }

    @Test
    void rollingSpecsEndAtTheEndOfTheStreamTimesDay() {
        String t = "2024-03-15T10:30:00Z";
        assertEquals(Instant.parse("2024-03-15T00:00:00Z"), currentStart("P1D/P1D", t));
        assertEquals(Instant.parse("2024-03-09T00:00:00Z"), currentStart("P7D/P1D", t), "03-09 .. 03-15: the last 7 days");
        assertEquals(Instant.parse("2024-02-15T00:00:00Z"), currentStart("P30D/P1D", t), "02-15 .. 03-15 (2024 is a leap year)");
        for (String spec : new String[] {"P1D/P1D", "P7D/P1D", "P30D/P1D"}) {
            WindowSpec w = WindowSpec.parse(spec);
            long k = w.currentIndex(Instant.parse(t).toEpochMilli());
            assertEquals(Instant.parse("2024-03-16T00:00:00Z").toEpochMilli(), w.end(k), spec + " ends at the end of the day");
        }
    }

    @Test
    void everyInstantOfTheDayAndTheDaysStartGiveTheSameWindow() {
        for (String spec : new String[] {"P1D/P1D", "P7D/P1D", "P30D/P1D", "PT6H/PT1H"}) {
            WindowSpec w = WindowSpec.parse(spec);
            long stepStart = Instant.parse("2024-03-15T00:00:00Z").toEpochMilli();
            long expected = w.currentIndex(stepStart);
            for (long t = stepStart; t < stepStart + w.advanceMs(); t += Duration.ofMinutes(7).toMillis()) {
                assertEquals(expected, w.currentIndex(t), spec + " at " + Instant.ofEpochMilli(t));
            }
            assertEquals(expected + 1, w.currentIndex(stepStart + w.advanceMs()), spec + ": the next step moves it by one");
        }
    }

    @Test
    void theCurrentWindowHoldsTheStreamTimeAndEndsFirst() {
        WindowSpec w = WindowSpec.parse("P30D/P1D");
        long t = Instant.parse("2024-03-15T23:59:59.999Z").toEpochMilli();
        long k = w.currentIndex(t);
        assertEquals(true, w.start(k) <= t && t < w.end(k));
        assertEquals(true, w.end(k - 1) <= t, "the window before it has ended");
    }
}
