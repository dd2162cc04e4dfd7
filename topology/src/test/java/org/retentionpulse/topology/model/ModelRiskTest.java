package org.retentionpulse.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.topology.alerts.AlertPolicy;
import org.retentionpulse.topology.alerts.ChurnRiskScorer;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.alerts.RiskAssessment;

/** How the model's prediction and the rules' signals make one score, and who gets LOW_P_ALIVE. */
class ModelRiskTest {
    private static final long DAY = 86_400_000L;
    /** The published CDNOW fits, alpha in days. */
    private static final CustomerModel MODEL = new CustomerModel(
            new BgNbd.Fit(new BgNbd(0.243, 4.414 * 7, 0.793, 2.426), -9582.4, 2357, 0),
            new GammaGamma.Fit(new GammaGamma(6.25, 3.74, 15.45), -4055.9, 946, 0), Duration.ofDays(90));
    private final ChurnRiskScorer scorer = new ChurnRiskScorer(AlertPolicy.defaults());
    private final ModelRisk risk = new ModelRisk(ModelPolicy.defaults(), scorer);

    private record Scored(RiskAssessment rules, RiskAssessment combined, CustomerPrediction prediction) {
        Optional<RiskReason> reason(RiskSignal signal) {
            return combined.reasons().stream().filter(r -> r.getSignal() == signal).findFirst();
        }
    }

    private Scored score(CustomerProfile profile, long[] purchaseDays, long asOf) {
        long[] times = new long[purchaseDays.length];
        long[] cents = new long[purchaseDays.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = purchaseDays[i] * DAY;
            cents[i] = 2_000;
            profile.purchase(times[i], cents[i]);
        }
        CustomerSummary summary = CustomerSummary.fromPurchases(times, cents, asOf);
        CustomerPrediction prediction = MODEL.predict(summary);
        RiskAssessment rules = scorer.assess(profile, asOf);
        return new Scored(rules, risk.combine(profile, rules, summary, prediction), prediction);
    }

    private static CustomerProfile signedUp(long at) {
        CustomerProfile p = new CustomerProfile();
        p.signup(at, "basic", "DE", "ads");
        return p;
    }

    @Test
    void aLongSilentOneTimeBuyerIsScoredByItsExpectedPurchasesWithoutLowPAlive() {
        Scored s = score(signedUp(0), new long[] {0}, 200 * DAY);
        double timing = Math.exp(-s.prediction().expectedPurchases());
        assertEquals(1.0, s.prediction().pAlive());
        assertEquals(timing, s.combined().score(), 1e-4);
        assertEquals(RiskLevel.HIGH, s.combined().level());
        assertEquals(List.of(RiskSignal.INACTIVE), s.combined().reasons().stream().map(RiskReason::getSignal).toList());
        RiskReason inactive = s.reason(RiskSignal.INACTIVE).orElseThrow();
        assertEquals(timing, inactive.getWeight(), 1e-4);
        assertEquals(200.0, inactive.getEvidence().get("days_since_last_purchase"));
        assertEquals(90.0, inactive.getEvidence().get("horizon_days"));
        assertTrue(inactive.getExplanation().contains("one purchase so far"), inactive.getExplanation());
        assertEquals(s.prediction().expectedPurchases() * s.prediction().expectedSpend(), s.prediction().predictedClv(), 1e-12);
    }

    @Test
    void aBrandNewCustomerIsNotAlertedForItsExpectedSilence() {
        Scored s = score(signedUp(0), new long[] {0}, DAY / 2);
        assertEquals(0.0, s.combined().score());
        assertEquals(RiskLevel.LOW, s.combined().level());
        assertTrue(s.combined().reasons().isEmpty());
        // Half-way through the rules' first inactivity threshold (90 days), half of the model's timing risk.
        Scored later = score(signedUp(0), new long[] {0}, 46 * DAY);
        assertEquals(0.5 * Math.exp(-later.prediction().expectedPurchases()), later.combined().score(), 1e-4);
    }

    @Test
    void aRepeatBuyerTheModelCallsDeadGetsLowPAliveOnTopOfTheTimingRisk() {
        Scored s = score(signedUp(0), new long[] {0, 10, 20, 30, 40}, 400 * DAY);
        double pAlive = s.prediction().pAlive();
        assertTrue(pAlive < 0.01, () -> "P(alive) " + pAlive);
        RiskReason low = s.reason(RiskSignal.LOW_P_ALIVE).orElseThrow();
        assertEquals(0.1 * (1 - pAlive / 0.1), low.getWeight(), 1e-4);
        assertEquals(4.0, low.getEvidence().get("repeat_purchases"));
        double timing = Math.exp(-s.prediction().expectedPurchases());
        assertEquals(1 - (1 - timing) * (1 - low.getWeight()), s.combined().score(), 1e-4);
    }

    @Test
    void surveySignalsCombineWithTheModelAsIndependentRisks() {
        CustomerProfile p = signedUp(0);
        p.survey(SurveyType.NPS, 3, 190 * DAY);
        Scored s = score(p, new long[] {0}, 200 * DAY);
        double timing = Math.exp(-s.prediction().expectedPurchases());
        assertEquals(0.4, s.reason(RiskSignal.DETRACTOR).orElseThrow().getWeight());
        assertEquals(1 - (1 - timing) * (1 - 0.4), s.combined().score(), 1e-4);
    }

    @Test
    void frequencyDropStaysAnExplanationWithoutWeight() {
        Scored s = score(signedUp(0), new long[] {1, 5, 10, 15, 45}, 50 * DAY);
        assertTrue(s.rules().reasons().stream().anyMatch(r -> r.getSignal() == RiskSignal.FREQUENCY_DROP));
        assertEquals(0.0, s.reason(RiskSignal.FREQUENCY_DROP).orElseThrow().getWeight());
        double timing = Math.exp(-s.prediction().expectedPurchases()) * Math.min(1, 49.0 * DAY / scorer.inactivityThresholdMs(
                profileWith(new long[] {1, 5, 10, 15, 45})));
        assertEquals(timing, s.combined().score(), 1e-4);
    }

    private static CustomerProfile profileWith(long[] days) {
        CustomerProfile p = signedUp(0);
        for (long d : days) {
            p.purchase(d * DAY, 2_000);
        }
        return p;
    }

    @Test
    void customersNotTrackedKeepTheRulesAssessment() {
        CustomerProfile p = signedUp(0);
        p.purchase(0, 1_000);
        p.cancellation(5 * DAY);
        CustomerSummary summary = CustomerSummary.fromPurchases(new long[] {0}, new long[] {1_000}, 100 * DAY);
        RiskAssessment rules = scorer.assess(p, 100 * DAY);
        assertSame(rules, risk.combine(p, rules, summary, MODEL.predict(summary)));
    }

    @Test
    void lowPAliveNeedsARepeatPurchaseAndAPAliveBelowTheThreshold() {
        assertTrue(risk.lowPAlive(0.0, 0).isEmpty(), "one-time buyers: P(alive) is 1 by construction");
        assertTrue(risk.lowPAlive(0.1, 3).isEmpty());
        assertEquals(0.1, risk.lowPAlive(0.0, 1).orElseThrow().weight());
        assertEquals(0.05, risk.lowPAlive(0.05, 2).orElseThrow().weight(), 1e-12);
    }

    @Test
    void aPredictionOfASegmentsOwnFitSaysSoAndScoresTheSame() {
        CustomerProfile p = signedUp(0);
        long[] days = {0, 10, 20};
        Scored overall = score(p, days, 120 * DAY);
        CustomerSummary summary = CustomerSummary.fromPurchases(new long[] {0, 10 * DAY, 20 * DAY},
                new long[] {2_000, 2_000, 2_000}, 120 * DAY);
        RiskAssessment byPlan = risk.combine(p, overall.rules(), summary, overall.prediction(), "plan=basic");

        assertEquals(overall.combined().score(), byPlan.score());
        String explanation = byPlan.reasons().get(0).getExplanation();
        assertTrue(explanation.contains("the model fitted on plan=basic expects"), explanation);
        assertTrue(overall.reason(RiskSignal.INACTIVE).orElseThrow().getExplanation().contains("the model expects"));
    }
}
