package org.retentionpulse.tools.generator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A change of the churn regime: from instant {@code from} on, customers of plan {@code plan} churn {@code churnFactor}
 * times as fast (the churn hazard is multiplied, before and after is a piecewise-constant hazard). Written
 * {@code plan=pro:churn=2x:from=2024-02-01} (a date is its 00:00 UTC, or an ISO instant).
 *
 * <p>The lifetime is drawn with the same random numbers as without the change and then time-changed, so the rest of
 * the stream (other plans, other customers) is exactly the stream without the change.
 */
public record RegimeChange(String plan, double churnFactor, Instant from) {

    public RegimeChange {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(from, "from");
        if (!(churnFactor > 0) || Double.isInfinite(churnFactor)) {
            throw new IllegalArgumentException("regime change churn factor must be positive, got " + churnFactor);
        }
    }

    /** Parses {@code plan=NAME:churn=FACTORx:from=DATE}. */
    public static RegimeChange parse(String text) {
        String plan = null;
        Double factor = null;
        Instant from = null;
        for (String part : text.split(":(?=[a-z]+=)")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("regime change: expected key=value, got '" + part + "' in " + text);
            }
            switch (kv[0]) {
                case "plan" -> plan = kv[1];
                case "churn" -> factor = factor(kv[1], text);
                case "from" -> from = instant(kv[1], text);
                default -> throw new IllegalArgumentException("regime change: unknown key '" + kv[0] + "' (plan, churn, from) in " + text);
            }
        }
        if (plan == null || factor == null || from == null) {
            throw new IllegalArgumentException("regime change needs plan=NAME:churn=FACTORx:from=DATE, got " + text);
        }
        return new RegimeChange(plan, factor, from);
    }

    /**
     * The wait until churn of a customer of {@code planName} whose period starts at {@code at}, with hazard
     * {@code hazardPerDay} before the change: -1 when it is beyond {@code horizonMillis}.
     */
    long churnWait(SplittableRandom random, double hazardPerDay, long at, long horizonMillis, String planName) {
        if (!plan.equals(planName)) {
            return RandomDraws.waitMillis(random, hazardPerDay, horizonMillis);
        }
        // Under the old hazard, a wait w ends at at + w; past the change the new hazard runs churnFactor times faster.
        long before = Math.max(0, from.toEpochMilli() - at);
        long unchanged = RandomDraws.waitMillis(random, hazardPerDay, Long.MAX_VALUE);
        if (unchanged < 0) {
            return -1; // no hazard: never churns
        }
        double wait = unchanged;
        double changed = wait <= before ? wait : before + (wait - before) / churnFactor;
        return changed < horizonMillis ? Math.max(1, Math.round(changed)) : -1;
    }

    private static double factor(String text, String whole) {
        try {
            return Double.parseDouble(text.endsWith("x") ? text.substring(0, text.length() - 1) : text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("regime change: churn factor must be a number such as 2x, got '" + text + "' in " + whole);
        }
    }

    private static Instant instant(String text, String whole) {
        try {
            return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("regime change: from must be a date or an ISO instant, got '" + text + "' in " + whole);
        }
    }
}
