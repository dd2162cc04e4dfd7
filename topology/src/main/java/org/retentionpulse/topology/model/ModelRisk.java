package org.retentionpulse.topology.model;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.topology.alerts.ChurnRiskScorer;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.alerts.RiskAssessment;
import org.retentionpulse.topology.alerts.RiskFinding;

/**
 * The churn-risk score once a customer-lifetime model is fitted: the rules' assessment
 * ({@link ChurnRiskScorer}) with purchase timing taken over by the model. Pure, like the scorer.
 *
 * <p>The score combines three independent risks as "at least one of them materialises":
 * {@code 1 - (1 - timing) (1 - surveys) (1 - lowPAlive)}, where
 * <ul>
 * <li><b>timing</b> = {@code exp(-E[X(h)])}, the chance of no purchase in the horizon if the purchases in
 * it were Poisson with the model's expected count. For a young customer it is ramped in linearly over its
 * age, up to the rules' inactivity threshold ({@link ChurnRiskScorer#inactivityThresholdMs}: 90 days for a
 * customer without a rhythm yet), the time the rules wait before calling a new customer inactive: a brand-new
 * customer's expected silence is no alert. (A ramp on the time since the latest purchase instead was
 * measured to cost AUC: customers who just bought still differ in risk.) It is reported as the
 * {@code INACTIVE} reason, with the model's numbers as evidence next to the rules' (when the rules found the
 * customer overdue);</li>
 * <li><b>surveys</b>: the rules' survey signals (DETRACTOR, LOW_CSAT, HIGH_EFFORT), summed and capped at 1, as
 * before: the model does not see surveys;</li>
 * <li><b>lowPAlive</b>: {@link #lowPAlive}, for repeat buyers only.</li>
 * </ul>
 * The rules' own timing signals (INACTIVE's strength, FREQUENCY_DROP) no longer add: the model accounts for
 * purchase timing, and adding them counts the same silence twice. Measured on CDNOW (calibration to
 * 1997-10-01, churn = no purchase to 1998-06-30; README): the rules' score ranks churners with AUC 0.718, the
 * model's timing alone 0.763, an even blend of both 0.761, and this combination 0.763, at least the
 * baselines (recency 0.759, BG/NBD expected holdout purchases 0.763). FREQUENCY_DROP stays among the reasons
 * as an explanation, with weight 0.
 */
public final class ModelRisk {
    private static final double DAY = 86_400_000d;
    private static final Set<RiskSignal> SURVEY_SIGNALS = EnumSet.of(RiskSignal.DETRACTOR, RiskSignal.LOW_CSAT,
            RiskSignal.HIGH_EFFORT);

    private final ModelPolicy policy;
    private final ChurnRiskScorer scorer;

    public ModelRisk(ModelPolicy policy, ChurnRiskScorer scorer) {
        this.policy = policy;
        this.scorer = scorer;
    }

    public ModelPolicy policy() {
        return policy;
    }

    /**
     * The assessment of {@code profile} as of {@code rules.asOf()} with the model's prediction for its summary.
     * Customers who are not tracked (not active) or have no purchase yet ({@code summary == null}) keep the rules'
     * assessment: the model knows nothing of them.
     */
    public RiskAssessment combine(CustomerProfile profile, RiskAssessment rules, CustomerSummary summary,
            CustomerPrediction prediction) {
        return combine(profile, rules, summary, prediction, null);
    }

    /**
     * The same, with the prediction made by the fit of one segment ({@code plan=pro}), named in the explanation of
     * the model's reason; {@code null} for the overall fit (not named).
     */
    public RiskAssessment combine(CustomerProfile profile, RiskAssessment rules, CustomerSummary summary,
            CustomerPrediction prediction, String segmentFit) {
        if (!profile.active() || summary == null) {
            return rules;
        }
        long quietMs = rules.asOf() - Math.max(profile.lastPurchaseAt(), profile.activeSince());
        double ramp = Math.min(1, summary.T() * DAY / scorer.inactivityThresholdMs(profile));
        double timing = StrictMath.exp(-prediction.expectedPurchases()) * ramp;
        double surveys = 0;
        List<RiskFinding> findings = new ArrayList<>(rules.findings().size() + 2);
        RiskFinding inactive = null;
        for (RiskFinding f : rules.findings()) {
            if (SURVEY_SIGNALS.contains(f.signal())) {
                surveys += f.weight();
                findings.add(f);
            } else if (f.signal() == RiskSignal.INACTIVE) {
                inactive = f;
            } else if (f.signal() == RiskSignal.FREQUENCY_DROP) {
                findings.add(f.withWeight(0.0));
            }
        }
        if (timing > 0) {
            findings.add(0, timingFinding(inactive, timing, quietMs, summary, prediction, segmentFit));
        }
        Optional<RiskFinding> lowPAlive = lowPAlive(prediction.pAlive(), summary.x());
        lowPAlive.ifPresent(findings::add);
        double score = 1 - (1 - timing) * (1 - Math.min(1, surveys))
                * (1 - lowPAlive.map(RiskFinding::weight).orElse(0.0));
        return new RiskAssessment(rules.asOf(), round(score), scorer.levelOf(score), findings, rules.nextCheckAt());
    }

    /**
     * The LOW_P_ALIVE signal: for a customer with at least one repeat purchase ({@code x >= 1}) whose P(alive) is
     * below the threshold, weighing {@code weight × (1 - pAlive / threshold)}. None for one-time buyers, whose
     * P(alive) is 1 by construction.
     */
    public Optional<RiskFinding> lowPAlive(double pAlive, int x) {
        if (x < 1 || !(pAlive < policy.pAliveThreshold())) {
            return Optional.empty();
        }
        double weight = round(policy.pAliveWeight() * (1 - pAlive / policy.pAliveThreshold()));
        double threshold = policy.pAliveThreshold();
        return Optional.of(new RiskFinding(RiskSignal.LOW_P_ALIVE, weight, () -> {
            Map<String, Double> evidence = new LinkedHashMap<>();
            evidence.put("p_alive", round(pAlive));
            evidence.put("repeat_purchases", (double) x);
            evidence.put("threshold", threshold);
            return RiskReason.newBuilder().setSignal(RiskSignal.LOW_P_ALIVE).setWeight(weight).setEvidence(evidence)
                    .setExplanation(String.format(Locale.ROOT,
                            "Probably no longer a customer: P(alive) %.0f%% after %d repeat purchases (flagged below %.0f%%)",
                            100 * pAlive, x, 100 * threshold))
                    .build();
        }));
    }

    /** The model's INACTIVE finding: weight {@code timing}, the reason built for an alert only ({@link RiskFinding}). */
    private RiskFinding timingFinding(RiskFinding rulesInactive, double timing, long quietMs, CustomerSummary summary,
            CustomerPrediction prediction, String segmentFit) {
        double weight = round(timing);
        return new RiskFinding(RiskSignal.INACTIVE, weight, () -> timingReason(
                rulesInactive == null ? null : rulesInactive.reason(), weight, quietMs, summary, prediction, segmentFit));
    }

    private RiskReason timingReason(RiskReason rulesInactive, double weight, long quietMs, CustomerSummary summary,
            CustomerPrediction prediction, String segmentFit) {
        Map<String, Double> evidence = new LinkedHashMap<>();
        if (rulesInactive != null) {
            evidence.putAll(rulesInactive.getEvidence());
        } else {
            evidence.put("days_since_last_purchase", round(quietMs / DAY));
        }
        double horizonDays = policy.horizon().toMillis() / DAY;
        evidence.put("expected_purchases", round(prediction.expectedPurchases()));
        evidence.put("horizon_days", horizonDays);
        evidence.put("p_alive", round(prediction.pAlive()));
        evidence.put("predicted_clv", round(prediction.predictedClv()));
        String model = String.format(Locale.ROOT, "the model%s expects %.2f purchases in the next %.0f days (%s)",
                segmentFit == null ? "" : " fitted on " + segmentFit, prediction.expectedPurchases(), horizonDays, summary.x() == 0 ? "one purchase so far"
                        : String.format(Locale.ROOT, "%d repeat purchases, P(alive) %.0f%%", summary.x(), 100 * prediction.pAlive()));
        String explanation = rulesInactive != null ? rulesInactive.getExplanation() + "; " + model
                : String.format(Locale.ROOT, "Last purchase %.1f days ago; %s", quietMs / DAY, model);
        return RiskReason.newBuilder().setSignal(RiskSignal.INACTIVE).setWeight(weight).setEvidence(evidence)
                .setExplanation(explanation).build();
    }

    private static double round(double x) {
        return Math.round(x * 10_000d) / 10_000d;
    }
}
