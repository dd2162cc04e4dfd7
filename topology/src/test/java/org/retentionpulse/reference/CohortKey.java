package org.retentionpulse.reference;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * The compaction key of a cohort cell (section 9): {@code period|segment|cohort_start|k}, e.g. {@code P1W},
 * {@code plan=pro}, the Monday the cohort's week starts, and k = 0..K.
 */
public record CohortKey(String period, String segment, Instant cohortStart, int k) implements Comparable<CohortKey> {

    private static final Comparator<CohortKey> ORDER = Comparator.comparing(CohortKey::period)
            .thenComparing(CohortKey::cohortStart)
            .thenComparing(CohortKey::segment)
            .thenComparingInt(CohortKey::k);

    public CohortKey {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(cohortStart, "cohortStart");
    }

    @Override
    public int compareTo(CohortKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return period + "|" + segment + "|" + cohortStart + "|" + k;
    }
}
