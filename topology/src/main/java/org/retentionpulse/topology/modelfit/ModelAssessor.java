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
 * <p>The fit that scores a customer is {@link ModelRefitter#fitFor}'s (its segment's, else the overall one); its
 * segment is in the assessment and, for a segment's own fit, in the explanation of the model's reason.
 * Customers without a purchase, not active, or scored before the task's first successful fit keep the rules'
 * assessment. One-time buyers are scored by the model too (their expected purchases fall as they age), but never
 * get {@code LOW_P_ALIVE}: their P(alive) is 1 by construction of BG/NBD ({@link ModelRisk#lowPAlive}).
 */
public final class ModelAssessor {
    private final ChurnRiskScorer scorer;
    private final ModelRisk risk;

    /**
     * The assessment, and the summary, the prediction and the fit behind it (prediction and fit null without a
     * model or a purchase, or when the fit could not score the customer).
     */
    public record Assessed(RiskAssessment assessment, CustomerSummary summary, CustomerPrediction prediction,
            FittedModel fit) {
    }

    public ModelAssessor(ChurnRiskScorer scorer, ModelRisk risk) {
        this.scorer = scorer;
        this.risk = risk;
    }

    /**
     * @param days the customer's purchase summary, or null without a purchase
     * @param fit the fit that scores the customer ({@link ModelRefitter#fitFor}), or null before the task's first
     */
    public Assessed assess(CustomerProfile profile, PurchaseDays days, FittedModel fit, long asOf) {
        RiskAssessment rules = scorer.assess(profile, asOf);
        if (days == null) {
            return new Assessed(rules, null, null, null);
        }
        CustomerSummary summary = days.summaryAsOf(asOf);
        if (fit == null || !profile.active()) {
            return new Assessed(rules, summary, null, null);
        }
        CustomerModel model = fit.model(risk.policy().horizon());
        CustomerPrediction prediction;
        try {
            prediction = model.predict(summary);
        } catch (ArithmeticException e) {
            return new Assessed(rules, summary, null, null); // a numerically degenerate model scores no one
        }
        if (!Double.isFinite(prediction.expectedPurchases()) || !Double.isFinite(prediction.predictedClv())) {
            return new Assessed(rules, summary, null, null);
        }
        String segmentFit = ModelRefitter.OVERALL.equals(fit.segment()) ? null : fit.segment();
        return new Assessed(risk.combine(profile, rules, summary, prediction, segmentFit), summary, prediction, fit);
    }
}
