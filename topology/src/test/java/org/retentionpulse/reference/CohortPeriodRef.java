package org.retentionpulse.reference;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The cohort periods of section 9, written with calendar dates so they read like the contract: {@code P1D} days,
 * {@code P1W} ISO weeks from Monday 00:00 UTC, {@code P1M} calendar months from the 1st 00:00 UTC.
 */
public enum CohortPeriodRef {
    P1D, P1W, P1M;

    public static CohortPeriodRef parse(String text) {
        return valueOf(text);
    }

    /** Start of the period containing {@code t}. */
    Instant startContaining(Instant t) {
        LocalDate date = LocalDate.ofInstant(t, ZoneOffset.UTC);
        LocalDate start = switch (this) {
            case P1D -> date;
            case P1W -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case P1M -> date.withDayOfMonth(1);
        };
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Start of the {@code k}-th period after the one starting at {@code start} (k = 0: that period). */
    Instant plus(Instant start, int k) {
        LocalDate date = LocalDate.ofInstant(start, ZoneOffset.UTC);
        LocalDate shifted = switch (this) {
            case P1D -> date.plusDays(k);
            case P1W -> date.plusWeeks(k);
            case P1M -> date.plusMonths(k);
        };
        return shifted.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** End (exclusive) of the period starting at {@code start}: the start of the next one. */
    Instant end(Instant start) {
        return plus(start, 1);
    }
}
