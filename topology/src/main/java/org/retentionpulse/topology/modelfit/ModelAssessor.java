package org.retentionpulse.topology.modelfit;

import org.retentionpulse.topology.alerts.ChurnRiskScorer;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.alerts.RiskAssessment;
import org.retentionpulse.topology.model.CustomerModel;
import org.retentionpulse.topology.model.CustomerPrediction;
import org.retentionpulse.topology.model.CustomerSummary;
import org.retentionpulse.topology.model.ModelRisk;
import org.retentionpulse.topology.model.PurchaseDays;

/**
 * A customer's churn risk as of an instant in the stream: the rules' assessment ({@link ChurnRiskScorer}),
 * combined by {@link ModelRisk} (the one combination, also used by {@code evaluate}) with the model's prediction
 * for the customer's summary once a model is fitted. Pure: the same state, model and instant give the same answer
 * in the stream, after a restart and in {@code GET /api/customers/{id}/risk}.
 *
 * <p>Customers without a purchase, not active, or scored before the task's first successful fit keep the rules'
 * assessment. One-time buyers are scored by the model too (their expected purchases fall as they age), but never
 * get {@code LOW_P_ALIVE}: their P(alive) is 1 by construction of BG/NBD ({@link ModelRisk#lowPAlive}).
 */
public final class ModelAssessor {
    private final ChurnRiskScorer scorer;
    private final ModelRisk risk;

    /** The assessment, and the summary and prediction behind it (null without a model or a purchase). */
    public record Assessed(RiskAssessment assessment, CustomerSummary summary, CustomerPrediction prediction) {
    }

    public ModelAssessor(ChurnRiskScorer scorer, ModelRisk risk) {
        this.scorer = scorer;
        this.risk = risk;
    }

    /**
     * @param days the customer's purchase summary, or null without a purchase
     * @param model the task's current model, or null before its first fit
     */
    public Assessed assess(CustomerProfile profile, PurchaseDays days, CustomerModel model, long asOf) {
        RiskAssessment rules = scorer.assess(profile, asOf);
        if (days == null) {
            return new Assessed(rules, null, null);
        }
        CustomerSummary summary = days.summaryAsOf(asOf);
        if (model == null || !profile.active()) {
            return new Assessed(rules, summary, null);
        }
        CustomerPrediction prediction;
        try {
            prediction = model.predict(summary);
        } catch (ArithmeticException e) {
            return new Assessed(rules, summary, null); // a numerically degenerate model scores no one
        }
        if (!Double.isFinite(prediction.expectedPurchases()) || !Double.isFinite(prediction.predictedClv())) {
            return new Assessed(rules, summary, null);
        }
        return new Assessed(risk.combine(profile, rules, summary, prediction), summary, prediction);
    }
}
