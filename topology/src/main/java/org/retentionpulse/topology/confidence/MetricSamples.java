package org.retentionpulse.topology.confidence;

import java.util.EnumSet;
import java.util.Set;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.metrics.Metric;

/**
 * Which {@link Sample} each rate is estimated from, read from its published components: the one place that maps
 * metrics to their statistics, used for the published intervals and by the metric alert rules. Metrics that are not
 * rates (revenue, aov, purchase_frequency, clv, active_customers) and churn_reason_share (section 10 defines none)
 * have none.
 */
public final class MetricSamples {
    /** The metrics {@link #of(Metric, MetricComponents)} has a sample for: the rates. */
    private static final Set<Metric> RATES = EnumSet.of(Metric.CHURN_RATE, Metric.RETENTION_RATE,
            Metric.REPEAT_PURCHASE_RATE, Metric.NPS, Metric.CSAT, Metric.CES, Metric.REFERRAL_SHARE,
            Metric.REACTIVATION_RATE, Metric.SURVEY_RESPONSE_RATE);

    private MetricSamples() {
    }

    /** Whether {@code metric} is a rate with a sample (and so an interval and a sample size). */
    public static boolean covers(Metric metric) {
        return RATES.contains(metric);
    }

    /** The sample of {@code metric} over {@code c}, or null for a metric without one. */
    public static Sample of(Metric metric, MetricComponents c) {
        return switch (metric) {
            case CHURN_RATE -> churn(c);
            case RETENTION_RATE -> new Sample.Complement(churn(c));
            case REPEAT_PURCHASE_RATE -> new Sample.Proportion(n(c.getP2()), n(c.getP1()));
            case NPS -> new Sample.NetPromoter(n(c.getProm()), n(c.getPass()), n(c.getDetr()));
            case CSAT -> new Sample.Proportion(n(c.getCsatPos()), n(c.getCsatN()));
            // A record written before ces_sq existed has no standard deviation: no interval.
            case CES -> c.getCesSq() == null ? null : new Sample.MeanScore(n(c.getCesN()), n(c.getCesSum()), c.getCesSq());
            case REFERRAL_SHARE -> new Sample.Proportion(n(c.getReferralSignups()), n(c.getN()));
            // Section 10: WB / L (null when WB > L: customers who churn and come back within the window)
            case REACTIVATION_RATE -> new Sample.Proportion(n(c.getWB()), n(c.getL()));
            case SURVEY_RESPONSE_RATE -> new Sample.Proportion(n(c.getRESP()), n(c.getS()) + n(c.getN()));
            default -> null;
        };
    }

    /** The sample of a published update, or null when its metric has none or is unknown to this version. */
    public static Sample of(MetricUpdate update) {
        Metric metric = Metric.find(update.getMetric());
        return metric == null || update.getComponents() == null ? null : of(metric, update.getComponents());
    }

    private static Sample.Proportion churn(MetricComponents c) {
        return new Sample.Proportion(n(c.getC()), n(c.getS()));
    }

    private static long n(Long value) {
        return value == null ? 0 : value;
    }
}
