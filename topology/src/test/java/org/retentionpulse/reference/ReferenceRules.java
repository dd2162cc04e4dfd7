package org.retentionpulse.reference;

import java.time.Duration;

/**
 * Which parts of the contract the reference model applies beyond section 4.
 *
 * @param inactivity    section 7's {@code churn.inactivity}: null for {@code none}, else the duration D after the
 *                      last activity at which an active customer lapses
 * @param reasonsCap    section 8's {@code churn.reasons.cap}
 * @param moreMetrics   whether the metrics of section 8 are published (and segments with only a win-back pool get
 *                      final records); off by default until the pipeline publishes them
 * @param cohortPeriod  section 9's {@code cohorts.period}, or null for no cohort table
 * @param cohortPeriods section 9's K: cells k = 0..K
 */
public record ReferenceRules(Duration inactivity, int reasonsCap, boolean moreMetrics, CohortPeriodRef cohortPeriod,
                             int cohortPeriods) {

    /** Section 4 only: cancellations end customers, no section 8 metrics, no cohorts (what the pipeline publishes). */
    public static final ReferenceRules SECTION_FOUR = new ReferenceRules(null, ChurnReasons.DEFAULT_CAP, false, null, 12);

    public ReferenceRules {
        if (inactivity != null && (inactivity.isNegative() || inactivity.isZero())) {
            throw new IllegalArgumentException("churn.inactivity must be positive: " + inactivity);
        }
        if (reasonsCap < 1 || cohortPeriods < 1) {
            throw new IllegalArgumentException("the reasons cap and the number of cohort periods must be at least 1");
        }
    }

    /** Every rule of sections 7-9 with the given churn policy (null: {@code none}) and cohort table. */
    public static ReferenceRules sevenToNine(Duration inactivity, String cohortPeriod, int cohortPeriods) {
        return new ReferenceRules(inactivity, ChurnReasons.DEFAULT_CAP, true, CohortPeriodRef.parse(cohortPeriod),
                cohortPeriods);
    }

    public ReferenceRules withReasonsCap(int cap) {
        return new ReferenceRules(inactivity, cap, moreMetrics, cohortPeriod, cohortPeriods);
    }

    boolean lapses() {
        return inactivity != null;
    }
}
