package org.retentionpulse.topology.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CohortSpecTest {

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void weeksStartOnMondayMidnightUtc() {
        CohortSpec weeks = new CohortSpec(CohortSpec.Period.P1W, 4);
        long index = weeks.indexContaining(ms("2024-01-07T23:59:59.999Z")); // a Sunday
        assertEquals(ms("2024-01-01T00:00:00Z"), weeks.startMs(index));
        assertEquals(ms("2024-01-08T00:00:00Z"), weeks.endMs(index));
        assertEquals(index + 1, weeks.indexContaining(ms("2024-01-08T00:00:00Z")));
        // the week of the epoch began on Monday 1969-12-29
        assertEquals(ms("1969-12-29T00:00:00Z"), weeks.startMs(weeks.indexContaining(0)));
    }

    @Test
    void monthsAreCalendarMonthsIncludingFebruaryOfALeapYear() {
        CohortSpec months = new CohortSpec(CohortSpec.Period.P1M, 12);
        long feb = months.indexContaining(ms("2024-02-29T12:00:00Z"));
        assertEquals(ms("2024-02-01T00:00:00Z"), months.startMs(feb));
        assertEquals(ms("2024-03-01T00:00:00Z"), months.endMs(feb));
        // the 11th period after January 2024 is December 2024, the 12th January 2025
        long jan = months.indexContaining(ms("2024-01-31T23:59:59Z"));
        assertEquals(ms("2024-12-01T00:00:00Z"), months.startMs(jan + 11));
        assertEquals(ms("2025-01-01T00:00:00Z"), months.startMs(jan + 12));
        assertEquals(ms("1969-12-01T00:00:00Z"), months.startMs(months.indexContaining(-1)));
    }

    @Test
    void daysAreUtcDays() {
        CohortSpec days = new CohortSpec(CohortSpec.Period.P1D, 12);
        long index = days.indexContaining(ms("2024-03-01T00:00:00Z"));
        assertEquals(ms("2024-03-01T00:00:00Z"), days.startMs(index));
        assertEquals(index - 1, days.indexContaining(ms("2024-02-29T23:59:59.999Z")));
        assertEquals(ms("2024-03-02T00:00:00Z"), days.endMs(index));
    }

    /** Against java.time's own calendar, for random instants between 1900 and 2100. */
    @Test
    void everyInstantLiesInItsPeriodAndPeriodsAreContiguous() {
        Random random = new Random(13);
        for (CohortSpec.Period period : CohortSpec.Period.values()) {
            CohortSpec spec = new CohortSpec(period, 12);
            for (int i = 0; i < 2_000; i++) {
                long t = ms("1900-01-01T00:00:00Z") + (long) (random.nextDouble() * 200 * 365.25 * 86_400_000L);
                long index = spec.indexContaining(t);
                assertTrue(spec.startMs(index) <= t && t < spec.endMs(index), () -> period + " " + t);
                assertEquals(spec.endMs(index), spec.startMs(index + 1));
                LocalDate date = LocalDate.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.UTC);
                LocalDate expected = switch (period) {
                    case P1D -> date;
                    case P1W -> date.minusDays(date.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
                    case P1M -> date.withDayOfMonth(1);
                };
                assertEquals(expected.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), spec.startMs(index));
            }
        }
    }

    @Test
    void onlyDayWeekAndMonthPeriodsAndAtLeastOnePeriodAreAccepted() {
        assertEquals(CohortSpec.Period.P1W, CohortSpec.Period.parse(" p1w "));
        assertEquals(CohortSpec.Period.P1M, CohortSpec.Period.parse("P1M"));
        assertThrows(IllegalArgumentException.class, () -> CohortSpec.Period.parse("P2W"));
        assertThrows(IllegalArgumentException.class, () -> CohortSpec.Period.parse("P7D"));
        assertThrows(IllegalArgumentException.class, () -> new CohortSpec(CohortSpec.Period.P1D, 0));
        assertEquals(new CohortSpec(CohortSpec.Period.P1W, 12), CohortSpec.DEFAULT);
    }
}
