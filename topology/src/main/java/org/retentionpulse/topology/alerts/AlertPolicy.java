package org.retentionpulse.topology.alerts;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.topology.delta.NpsBand;

/**
 * How churn risk is scored: when each signal fires, what it weighs, and where the levels start.
 *
 * <p>The defaults, and why:
 * <ul>
 * <li><b>INACTIVE</b> after {@code 3 ×} the customer's typical gap between purchases (median of the last
 * eight gaps, so one holiday does not move it), at least {@code P14D}. Three gaps is rarely reached by a
 * steady buyer with ordinary jitter, and the floor keeps daily buyers from alerting after a long weekend.
 * With fewer than {@value #MIN_GAPS_FOR_RHYTHM} gaps there is no rhythm yet and {@code P30D} is assumed
 * (a first alert 90 days after signup or the last purchase). The weight 0.8 is scaled by
 * {@code elapsed / (2 × threshold)}: MEDIUM when the threshold is crossed, HIGH at 1.75 × threshold.</li>
 * <li><b>DETRACTOR</b> (an NPS detractor, 0..6: the band of the {@code nps} metric, {@link NpsBand}, so an alert and
 * the metric never disagree on who is a detractor) and <b>LOW_CSAT</b> (CSAT &lt;= 2) weigh 0.4 each: one unhappy
 * response is MEDIUM at once, two of them, or one with inactivity, is HIGH. <b>HIGH_EFFORT</b> (CES &lt;= 2 on the
 * 1..5 scale where higher is easier) weighs 0.2: effort predicts churn, but alone it is not an alert. CSAT 2
 * and CES 2 are the bottom two answers of five: 3 is neutral, and the contract's positive CSAT is 4..5.
 * A survey signal counts for {@code P90D} after the response, or until a newer response of the same
 * survey replaces it.</li>
 * <li><b>FREQUENCY_DROP</b> weighs 0.4: purchases in the {@code P30D} up to the latest purchase at most half
 * of those in the 30 days before, when the earlier period had at least 3. Measured at the latest purchase so
 * that silence, INACTIVE's case, is not counted twice.</li>
 * <li>Levels: MEDIUM from 0.4, HIGH from 0.7; the score is the sum of the contributions, capped at 1.</li>
 * </ul>
 *
 * @param inactivityMultiplier INACTIVE when the time since the last purchase reaches this many typical gaps
 * @param inactivityFloor INACTIVE never fires before this much time without purchase
 * @param defaultGap the assumed gap for customers without a rhythm yet
 * @param frequencyPeriod length of the recent and the previous period compared by FREQUENCY_DROP
 * @param frequencyDropRatio FREQUENCY_DROP when recent &lt;= ratio × previous
 * @param frequencyMinPrevious FREQUENCY_DROP needs at least this many purchases in the previous period
 * @param surveyRelevance how long a survey response counts
 * @param lowCsatMax LOW_CSAT for a CSAT answer (1..5) at most this
 * @param highEffortMax HIGH_EFFORT for a CES answer (1..5, 5 = easiest) at most this
 * @param weights contribution of each signal at full strength
 * @param mediumThreshold score from which the level is MEDIUM
 * @param highThreshold score from which the level is HIGH
 * @param profileRetention profiles of customers who are not active are dropped after this long without events
 */
public record AlertPolicy(
        double inactivityMultiplier,
        Duration inactivityFloor,
        Duration defaultGap,
        Duration frequencyPeriod,
        double frequencyDropRatio,
        int frequencyMinPrevious,
        Duration surveyRelevance,
        int lowCsatMax,
        int highEffortMax,
        Map<RiskSignal, Double> weights,
        double mediumThreshold,
        double highThreshold,
        Duration profileRetention) {

    /** Gaps needed before the customer's own rhythm replaces {@link #defaultGap}: one gap is not a rhythm. */
    public static final int MIN_GAPS_FOR_RHYTHM = 2;
    /** Gaps the typical gap is the median of. */
    public static final int RHYTHM_GAPS = 8;
    /** CSAT and CES answers are 1..5 (docs/METRICS.md section 1). */
    static final int MIN_FIVE_POINT_SCORE = 1;
    static final int MAX_FIVE_POINT_SCORE = 5;

    public AlertPolicy {
        Objects.requireNonNull(inactivityFloor, "inactivityFloor");
        Objects.requireNonNull(defaultGap, "defaultGap");
        Objects.requireNonNull(frequencyPeriod, "frequencyPeriod");
        Objects.requireNonNull(surveyRelevance, "surveyRelevance");
        Objects.requireNonNull(profileRetention, "profileRetention");
        if (!(inactivityMultiplier >= 1)) {
            throw new IllegalArgumentException("inactivity multiplier must be at least 1, got " + inactivityMultiplier);
        }
        if (defaultGap.isNegative() || defaultGap.isZero() || frequencyPeriod.isNegative() || frequencyPeriod.isZero()) {
            throw new IllegalArgumentException("default gap and frequency period must be positive");
        }
        if (!(frequencyDropRatio >= 0 && frequencyDropRatio < 1)) {
            throw new IllegalArgumentException("frequency drop ratio must be in [0, 1), got " + frequencyDropRatio);
        }
        if (lowCsatMax < MIN_FIVE_POINT_SCORE || lowCsatMax >= MAX_FIVE_POINT_SCORE) {
            throw new IllegalArgumentException("low CSAT threshold must be in [1, 4] (5 would flag every answer), got " + lowCsatMax);
        }
        if (highEffortMax < MIN_FIVE_POINT_SCORE || highEffortMax >= MAX_FIVE_POINT_SCORE) {
            throw new IllegalArgumentException("high effort (CES) threshold must be in [1, 4] (5 would flag every answer), got " + highEffortMax);
        }
        if (!(mediumThreshold > 0 && mediumThreshold <= highThreshold && highThreshold <= 1)) {
            throw new IllegalArgumentException("need 0 < medium threshold <= high threshold <= 1, got "
                    + mediumThreshold + " and " + highThreshold);
        }
        EnumMap<RiskSignal, Double> w = new EnumMap<>(RiskSignal.class);
        w.putAll(defaultWeights());
        w.putAll(weights);
        w.forEach((signal, weight) -> {
            if (!(weight >= 0 && weight <= 1)) {
                throw new IllegalArgumentException("weight of " + signal + " must be in [0, 1], got " + weight);
            }
        });
        weights = Map.copyOf(w);
    }

    public static AlertPolicy defaults() {
        return new AlertPolicy(3.0, Duration.ofDays(14), Duration.ofDays(30), Duration.ofDays(30), 0.5, 3,
                Duration.ofDays(90), 2, 2, defaultWeights(), 0.4, 0.7, Duration.ofDays(180));
    }

    static Map<RiskSignal, Double> defaultWeights() {
        return Map.of(RiskSignal.INACTIVE, 0.8, RiskSignal.DETRACTOR, 0.4, RiskSignal.LOW_CSAT, 0.4,
                RiskSignal.HIGH_EFFORT, 0.2, RiskSignal.FREQUENCY_DROP, 0.4);
    }

    public double weight(RiskSignal signal) {
        return weights.getOrDefault(signal, 0.0);
    }
}
