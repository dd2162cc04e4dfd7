package org.retentionpulse.topology.delta;

/**
 * The additive per-bucket counts of docs/METRICS.md section 4. A window's count is the sum over its buckets; the
 * distinct-customer counts P1/P2 and the instant count S are not additive and are kept elsewhere.
 */
public enum Counter {
    /** N: effective signups. */
    SIGNUPS,
    REACTIVATIONS,
    /** C: effective cancellations. */
    CANCELLATIONS,
    IGNORED_SIGNUPS,
    IGNORED_CANCELLATIONS,
    /** Effective signups whose channel is {@code referral}. */
    REFERRAL_SIGNUPS,
    /** O. */
    ORDERS,
    /** R in minor units (two decimals), exact. */
    REVENUE_CENTS,
    NPS_PROMOTERS,
    NPS_PASSIVES,
    NPS_DETRACTORS,
    CSAT_RESPONSES,
    CSAT_POSITIVE,
    CES_RESPONSES,
    CES_SCORE_SUM,
    /** Accepted events of any kind: a window or segment with none (and nobody active) has no record. */
    EVENTS,
    /**
     * Sum of squared CES scores, for the CES t interval (docs/METRICS.md section 10). Last, so the ordinals of the counters
     * before it (the sparse bit mask of the segment-deltas topic) keep their meaning.
     */
    CES_SCORE_SQUARES,
    /**
     * WB (docs/METRICS.md section 8): reactivations, counted in the segment of the customer's previous active period
     * (its win-back pool segment). With {@link #CANCELLATIONS} it moves the win-back pool L: a churned customer joins
     * the pool of its period's segment, a win-back leaves it.
     */
    WIN_BACKS;

    public static final int COUNT = values().length;
}
