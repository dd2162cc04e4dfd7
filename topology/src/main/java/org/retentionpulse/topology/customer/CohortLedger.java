package org.retentionpulse.topology.customer;

import java.util.Arrays;

/**
 * A customer's part of the cohort table (contract section 9), kept in its {@link CustomerState}: its cohort (the
 * index of the period of its first effective start) and that start's dimensions, and per k = 0..K whether it bought
 * in period c+k, what it spent there and whether it was active when that period ended. Bounded by K, whatever the
 * number of cohorts; the cohort stage sums the differences of these values ({@code CohortChange}).
 */
public final class CohortLedger {
    private final long cohort;
    private final Dimensions dimensions;
    private final boolean[] retained;
    private final long[] revenueCents;
    private final boolean[] active;

    public CohortLedger(long cohort, Dimensions dimensions, boolean[] retained, long[] revenueCents, boolean[] active) {
        if (retained.length != revenueCents.length || retained.length != active.length) {
            throw new IllegalArgumentException("one value per period k = 0..K");
        }
        this.cohort = cohort;
        this.dimensions = dimensions;
        this.retained = retained.clone();
        this.revenueCents = revenueCents.clone();
        this.active = active.clone();
    }

    static CohortLedger empty(long cohort, Dimensions dimensions, int periods) {
        return new CohortLedger(cohort, dimensions, new boolean[periods + 1], new long[periods + 1], new boolean[periods + 1]);
    }

    CohortLedger copy() {
        return new CohortLedger(cohort, dimensions, retained, revenueCents, active);
    }

    /** Index of the cohort's own period c. */
    public long cohort() {
        return cohort;
    }

    public Dimensions dimensions() {
        return dimensions;
    }

    /** K + 1: the cells k = 0..K. */
    public int cells() {
        return retained.length;
    }

    public boolean retained(int k) {
        return retained[k];
    }

    public long revenueCents(int k) {
        return revenueCents[k];
    }

    public boolean active(int k) {
        return active[k];
    }

    void purchase(int k, long cents) {
        retained[k] = true;
        revenueCents[k] += cents;
    }

    void active(int k, boolean value) {
        active[k] = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CohortLedger l && cohort == l.cohort && dimensions.equals(l.dimensions)
                && Arrays.equals(retained, l.retained) && Arrays.equals(revenueCents, l.revenueCents)
                && Arrays.equals(active, l.active);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(cohort) * 31 + Arrays.hashCode(revenueCents);
    }
}
