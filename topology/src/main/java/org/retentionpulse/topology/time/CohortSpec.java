package org.retentionpulse.topology.time;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;

/**
 * The cohort table's shape (contract section 9): the period length and the number K of periods after the cohort's
 * own (cells k = 0..K). Periods are addressed by an index, like windows: consecutive periods have consecutive
 * indexes, so "the k-th period after c" is {@code c + k}.
 *
 * @param period  {@code cohorts.period}
 * @param periods {@code cohorts.periods}, K
 */
public record CohortSpec(Period period, int periods) {

    public static final int DEFAULT_PERIODS = 12;
    public static final CohortSpec DEFAULT = new CohortSpec(Period.P1W, DEFAULT_PERIODS);

    public CohortSpec {
        Objects.requireNonNull(period, "period");
        if (periods < 1) {
            throw new IllegalArgumentException("the number of cohort periods must be at least 1, got " + periods);
        }
    }

    /** Index of the period containing instant {@code epochMs}. */
    public long indexContaining(long epochMs) {
        return period.indexContaining(epochMs);
    }

    /** Start (inclusive, epoch ms) of period {@code index}. */
    public long startMs(long index) {
        return period.startMs(index);
    }

    /** End (exclusive, epoch ms) of period {@code index}: the start of the next one. */
    public long endMs(long index) {
        return period.startMs(index + 1);
    }

    /** The cohort periods: UTC days, ISO weeks from Monday 00:00 UTC, calendar months from the 1st 00:00 UTC. */
    public enum Period {
        P1D, P1W, P1M;

        private static final long DAY_MS = 86_400_000L;
        /** 1970-01-01 was a Thursday: the Monday of its ISO week is epoch day -3. */
        private static final long FIRST_MONDAY_EPOCH_DAY = -3;

        /** {@code P1D}, {@code P1W} or {@code P1M} (any case); anything else is refused. */
        public static Period parse(String text) {
            String trimmed = Objects.requireNonNull(text, "cohorts.period").trim().toUpperCase(Locale.ROOT);
            for (Period p : values()) {
                if (p.name().equals(trimmed)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("expected P1D, P1W or P1M: " + text);
        }

        long indexContaining(long epochMs) {
            long epochDay = Math.floorDiv(epochMs, DAY_MS);
            return switch (this) {
                case P1D -> epochDay;
                case P1W -> Math.floorDiv(epochDay - FIRST_MONDAY_EPOCH_DAY, 7);
                case P1M -> {
                    LocalDate date = LocalDate.ofEpochDay(epochDay);
                    yield (date.getYear() - 1970L) * 12 + date.getMonthValue() - 1;
                }
            };
        }

        long startMs(long index) {
            long epochDay = switch (this) {
                case P1D -> index;
                case P1W -> FIRST_MONDAY_EPOCH_DAY + 7 * index;
                case P1M -> LocalDate.of(1970 + (int) Math.floorDiv(index, 12), (int) Math.floorMod(index, 12) + 1, 1)
                        .toEpochDay();
            };
            return epochDay * DAY_MS;
        }
    }

    @Override
    public String toString() {
        return period + " x " + periods;
    }
}
