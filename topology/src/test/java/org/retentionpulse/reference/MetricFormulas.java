package org.retentionpulse.reference;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metric tables of sections 4 and 8. Each metric is one exact quotient of counts and exact revenue, rounded once,
 * half-even to 4 decimals; null exactly where the table says so.
 */
final class MetricFormulas {

    static final List<String> METRICS = List.of("churn_rate", "retention_rate", "repeat_purchase_rate", "nps",
            "csat", "ces", "revenue", "aov", "purchase_frequency", "clv", "referral_share", "active_customers");

    /** Section 8's single-valued metrics; {@code churn_reason_share} has one record per reason. */
    static final List<String> MORE_METRICS = List.of("reactivation_rate", "survey_response_rate");
    static final String CHURN_REASON_SHARE = "churn_reason_share";

    private static final int SCALE = 4;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private MetricFormulas() {
    }

    /** All twelve metrics, in table order; values may be null. */
    static Map<String, BigDecimal> values(SegmentCounts c) {
        long s = c.activeAtStart();
        long p1 = c.buyers();
        long npsResponses = c.npsPromoters() + c.npsPassives() + c.npsDetractors();
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        values.put("churn_rate", percent(c.cancellations(), s));
        values.put("retention_rate", percent(c.activeAtEnd() - c.signups(), s));
        values.put("repeat_purchase_rate", percent(c.repeatBuyers(), p1));
        values.put("nps", percent(c.npsPromoters() - c.npsDetractors(), npsResponses));
        values.put("csat", percent(c.csatPositive(), c.csatResponses()));
        // 100 * (sum / n) / 5 = 20 * sum / n
        values.put("ces", quotient(BigDecimal.valueOf(20 * c.cesSum()), c.cesResponses()));
        values.put("revenue", c.revenue());
        values.put("aov", quotient(c.revenue(), c.orders()));
        values.put("purchase_frequency", quotient(BigDecimal.valueOf(c.orders()), p1));
        // aov * frequency * (100 / churn) = (R / O) * (O / P1) * (S / C) = R * S / (P1 * C);
        // null with aov or frequency (O = 0, hence P1 = 0), with churn (S = 0) or when churn is 0 (C = 0).
        values.put("clv", c.orders() == 0 || s == 0 || c.cancellations() == 0 ? null
                : quotient(c.revenue().multiply(BigDecimal.valueOf(s)), p1 * c.cancellations()));
        values.put("referral_share", percent(c.referralSignups(), c.signups()));
        values.put("active_customers", BigDecimal.valueOf(c.activeAtEnd()));
        return values;
    }

    /** Section 8's {@code reactivation_rate} and {@code survey_response_rate}; values may be null. */
    static Map<String, BigDecimal> moreValues(SegmentCounts c) {
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        values.put("reactivation_rate", percent(c.winBacks(), c.winBackPool()));
        values.put("survey_response_rate", percent(c.respondents(), c.activeAtStart() + c.signups()));
        return values;
    }

    /**
     * {@code churn_reason_share} per reason: 100 * C_r / C for the {@code cap} largest reasons and {@code other};
     * empty when C = 0 (a record per reason with C_r > 0, so none without churn).
     */
    static Map<String, BigDecimal> reasonShares(SegmentCounts c, int cap) {
        Map<String, BigDecimal> shares = new LinkedHashMap<>();
        ChurnReasons.capped(c.churnedByReason(), cap)
                .forEach((reason, churned) -> shares.put(reason, percent(churned, c.cancellations())));
        return shares;
    }

    private static BigDecimal percent(long numerator, long denominator) {
        return quotient(HUNDRED.multiply(BigDecimal.valueOf(numerator)), denominator);
    }

    private static BigDecimal quotient(BigDecimal numerator, long denominator) {
        return denominator == 0 ? null
                : numerator.divide(BigDecimal.valueOf(denominator), SCALE, RoundingMode.HALF_EVEN);
    }
}
