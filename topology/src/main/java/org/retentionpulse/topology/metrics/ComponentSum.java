package org.retentionpulse.topology.metrics;

import java.math.BigDecimal;
import java.util.Map;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.schemas.MetricComponents;

/**
 * The exact value of a metric over several disjoint segments of one window (e.g. the segments folded into
 * {@code plan=other}): their published components are summed and the metric is recomputed with
 * {@link Metric}'s own formula, never by averaging values. Components are additive across segments of one
 * dimension because a customer belongs to one value of a dimension at a time (a customer that reactivates
 * with another value within the window counts in both, as it does in the per-segment values).
 */
public final class ComponentSum {
    private final long[] totals = new long[Counter.COUNT];
    private long activeAtStart;
    private long purchasers;
    private long repeatPurchasers;
    private long winBackPool;
    private long respondents;

    /** Adds one segment's components. */
    public ComponentSum add(MetricComponents c) {
        activeAtStart += n(c.getS());
        purchasers += n(c.getP1());
        repeatPurchasers += n(c.getP2());
        add(Counter.SIGNUPS, c.getN());
        add(Counter.CANCELLATIONS, c.getC());
        add(Counter.REACTIVATIONS, c.getReactivations());
        add(Counter.IGNORED_SIGNUPS, c.getIgnoredSignups());
        add(Counter.IGNORED_CANCELLATIONS, c.getIgnoredCancellations());
        add(Counter.REFERRAL_SIGNUPS, c.getReferralSignups());
        add(Counter.ORDERS, c.getO());
        if (c.getR() != null) {
            totals[Counter.REVENUE_CENTS.ordinal()] += c.getR().movePointRight(2).longValueExact();
        }
        add(Counter.NPS_PROMOTERS, c.getProm());
        add(Counter.NPS_PASSIVES, c.getPass());
        add(Counter.NPS_DETRACTORS, c.getDetr());
        add(Counter.CSAT_RESPONSES, c.getCsatN());
        add(Counter.CSAT_POSITIVE, c.getCsatPos());
        add(Counter.CES_RESPONSES, c.getCesN());
        add(Counter.CES_SCORE_SUM, c.getCesSum());
        add(Counter.CES_SCORE_SQUARES, c.getCesSq());
        add(Counter.WIN_BACKS, c.getWB());
        winBackPool += n(c.getL());
        respondents += n(c.getRESP());
        return this;
    }

    /** The value of {@code metric} over the summed segments, rounded like every published value; null where undefined. */
    public BigDecimal value(Metric metric) {
        return metric.value(counts());
    }

    /** The components of {@code metric} over the summed segments, e.g. for its confidence interval. */
    public MetricComponents components(Metric metric) {
        return metric.components(counts());
    }

    private WindowCounts counts() {
        // Per-reason records (churn_reason_share) are not summed: their components say nothing about other reasons.
        return new WindowCounts(activeAtStart, totals.clone(), purchasers, repeatPurchasers, winBackPool, respondents, Map.of());
    }

    private void add(Counter counter, Long value) {
        totals[counter.ordinal()] += n(value);
    }

    private static long n(Long value) {
        return value == null ? 0 : value;
    }
}
