package org.retentionpulse.topology.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.topology.delta.NpsBand;

class ChurnRiskScorerTest {
    private static final long DAY = 86_400_000L;
    private final ChurnRiskScorer scorer = new ChurnRiskScorer(AlertPolicy.defaults());

    private static CustomerProfile weeklyBuyer(int weeks) {
        CustomerProfile p = new CustomerProfile();
        p.signup(0, "pro", "DE", "referral");
        for (int w = 0; w < weeks; w++) {
            p.purchase(w * 7 * DAY, 1_000);
        }
        return p;
    }

    private static List<RiskSignal> signals(RiskAssessment a) {
        return a.reasons().stream().map(RiskReason::getSignal).toList();
    }

    @Test
    void aReasonBuiltAfterTheProfileChangedStillDescribesTheAssessedInstant() {
        CustomerProfile p = weeklyBuyer(10);
        RiskAssessment at = scorer.assess(p, 63 * DAY + 21 * DAY);
        RiskReason asAssessed = at.reasons().get(0);
        p.purchase(63 * DAY + 22 * DAY, 1_000); // reasons are built on demand: they must not read the live profile
        assertEquals(asAssessed, at.reasons().get(0));
        assertEquals(21.0, asAssessed.getEvidence().get("days_since_last_purchase"));
        assertEquals(at.findings().get(0).weight(), asAssessed.getWeight(), "the score's finding and the shown reason agree");
    }

    @Test
    void typicalGapIsTheMedianSoOneLongPauseDoesNotMoveIt() {
        CustomerProfile p = weeklyBuyer(6);
        p.purchase(5 * 7 * DAY + 60 * DAY, 1_000); // one 60-day holiday
        p.purchase(5 * 7 * DAY + 67 * DAY, 1_000);
        assertEquals(7 * DAY, p.typicalGapMs());
    }

    @Test
    void oneGapIsNotARhythmYet() {
        CustomerProfile p = weeklyBuyer(2);
        assertEquals(-1, p.typicalGapMs());
        assertEquals(90 * DAY, scorer.inactivityThresholdMs(p), "3 x the 30-day default gap");
    }

    @Test
    void weeklyBuyerIsInactiveAfterThreeGapsMediumThenHighAtSevenEighthsOfDoubleThreshold() {
        CustomerProfile p = weeklyBuyer(10);
        long last = 63 * DAY;
        assertEquals(21 * DAY, scorer.inactivityThresholdMs(p));
        RiskAssessment before = scorer.assess(p, last + 21 * DAY - 1);
        assertEquals(RiskLevel.LOW, before.level());
        assertEquals(last + 21 * DAY, before.nextCheckAt(), "next check exactly at the threshold");

        RiskAssessment at = scorer.assess(p, last + 21 * DAY);
        assertEquals(RiskLevel.MEDIUM, at.level());
        assertEquals(List.of(RiskSignal.INACTIVE), signals(at));
        RiskReason reason = at.reasons().get(0);
        assertEquals(21.0, reason.getEvidence().get("days_since_last_purchase"));
        assertEquals(7.0, reason.getEvidence().get("typical_gap_days"));
        assertEquals(21.0, reason.getEvidence().get("threshold_days"));
        assertTrue(reason.getExplanation().contains("usually buys every 7.0 days"), reason.getExplanation());

        long high = last + 21 * DAY * 7 / 4;
        RiskAssessment justBefore = scorer.assess(p, high - 1);
        assertEquals(RiskLevel.MEDIUM, justBefore.level(), () -> justBefore.toString());
        assertEquals(RiskLevel.HIGH, scorer.assess(p, high).level());
        assertEquals(Long.MAX_VALUE, scorer.assess(p, last + 42 * DAY).nextCheckAt(), "full strength: nothing left to check");
    }

    @Test
    void dailyBuyerIsHeldToTheFloorNotThreeDays() {
        CustomerProfile p = new CustomerProfile();
        p.signup(0, null, null, null);
        for (int d = 0; d < 20; d++) {
            p.purchase(d * DAY, 500);
        }
        assertEquals(14 * DAY, scorer.inactivityThresholdMs(p));
        assertEquals(RiskLevel.LOW, scorer.assess(p, 19 * DAY + 13 * DAY).level());
    }

    @Test
    void detractorResponseIsMediumAtOnceAndAgesOutAfterNinetyDays() {
        CustomerProfile p = weeklyBuyer(4);
        long at = 22 * DAY;
        p.survey(SurveyType.NPS, 6, at);
        RiskAssessment a = scorer.assess(p, at);
        assertEquals(RiskLevel.MEDIUM, a.level());
        assertEquals(List.of(RiskSignal.DETRACTOR), signals(a));
        assertEquals(6.0, a.reasons().get(0).getEvidence().get("nps_score"));
        assertEquals(Math.min(at + 90 * DAY, 21 * DAY + 21 * DAY), a.nextCheckAt());
    }

    @Test
    void passiveNpsAndAcceptableCsatAndCesAreNoSignal() {
        CustomerProfile p = weeklyBuyer(4);
        p.survey(SurveyType.NPS, 7, 21 * DAY);
        p.survey(SurveyType.CSAT, 3, 21 * DAY);
        p.survey(SurveyType.CES, 3, 21 * DAY);
        assertEquals(List.of(), signals(scorer.assess(p, 21 * DAY)));
    }

    @Test
    void lowCsatWithDetractorIsHighAndHighEffortAloneIsNotAnAlert() {
        CustomerProfile p = weeklyBuyer(4);
        p.survey(SurveyType.CES, 2, 21 * DAY);
        RiskAssessment effort = scorer.assess(p, 21 * DAY);
        assertEquals(List.of(RiskSignal.HIGH_EFFORT), signals(effort));
        assertEquals(RiskLevel.LOW, effort.level());
        p.survey(SurveyType.CSAT, 2, 21 * DAY);
        p.survey(SurveyType.NPS, 0, 21 * DAY);
        RiskAssessment all = scorer.assess(p, 21 * DAY);
        assertEquals(RiskLevel.HIGH, all.level());
        assertEquals(1.0, all.score(), "0.4 + 0.4 + 0.2");
    }

    @Test
    void csatAndCesThresholdsAreThePolicysSettings() {
        ChurnRiskScorer strict = new ChurnRiskScorer(withSurveyThresholds(3, 1));
        CustomerProfile p = weeklyBuyer(4);
        p.survey(SurveyType.CSAT, 3, 21 * DAY);
        p.survey(SurveyType.CES, 2, 21 * DAY);
        assertEquals(List.of(RiskSignal.LOW_CSAT), signals(strict.assess(p, 21 * DAY)), "CSAT 3 is low at 3; CES 2 is not high effort at 1");
        assertEquals(List.of(RiskSignal.HIGH_EFFORT), signals(scorer.assess(p, 21 * DAY)), "the defaults: CSAT <= 2, CES <= 2");
        assertThrows(IllegalArgumentException.class, () -> withSurveyThresholds(5, 2));
        assertThrows(IllegalArgumentException.class, () -> withSurveyThresholds(2, 0));
    }

    @Test
    void detractorSignalFollowsTheNpsMetricsDetractorBand() {
        for (int score = 0; score <= 10; score++) {
            CustomerProfile p = weeklyBuyer(4);
            p.survey(SurveyType.NPS, score, 21 * DAY);
            boolean detractor = signals(scorer.assess(p, 21 * DAY)).contains(RiskSignal.DETRACTOR);
            assertEquals(score <= 6, detractor, "NPS " + score);
            assertEquals(NpsBand.of(score) == NpsBand.DETRACTOR, detractor, "NPS " + score + " as the metric counts it");
        }
    }

    @Test
    void newerResponseReplacesAnOlderOneOfTheSameSurvey() {
        CustomerProfile p = weeklyBuyer(4);
        p.survey(SurveyType.NPS, 2, 20 * DAY);
        p.survey(SurveyType.NPS, 10, 21 * DAY);
        p.survey(SurveyType.NPS, 1, 19 * DAY); // arrives late, older than the promoter answer
        assertEquals(RiskLevel.LOW, scorer.assess(p, 21 * DAY).level());
    }

    @Test
    void frequencyDropComparesTheLastPeriodWithTheOneBefore() {
        CustomerProfile p = new CustomerProfile();
        p.signup(0, null, null, null);
        for (int d = 1; d <= 29; d += 4) {
            p.purchase(d * DAY, 1_000); // 8 purchases in (0, 30]
        }
        p.purchase(33 * DAY, 1_000);
        p.purchase(45 * DAY, 1_000);
        p.purchase(50 * DAY, 1_000);
        p.purchase(59 * DAY, 1_000);
        RiskAssessment a = scorer.assess(p, 60 * DAY); // measured at the last purchase, day 59
        assertEquals(List.of(RiskSignal.FREQUENCY_DROP), signals(a));
        assertEquals(4.0, a.reasons().get(0).getEvidence().get("recent_purchases"));
        assertEquals(8.0, a.reasons().get(0).getEvidence().get("previous_purchases"));
        assertEquals(RiskLevel.MEDIUM, a.level());
    }

    @Test
    void cancelledCustomerIsNotScored() {
        CustomerProfile p = weeklyBuyer(4);
        p.survey(SurveyType.NPS, 0, 21 * DAY);
        assertEquals(CustomerProfile.LifecycleChange.ENDED, p.cancellation(22 * DAY));
        assertEquals(RiskLevel.LOW, scorer.assess(p, 200 * DAY).level());
        assertEquals(CustomerProfile.LifecycleChange.NONE, p.cancellation(23 * DAY));
        assertEquals(CustomerProfile.LifecycleChange.STARTED, p.signup(30 * DAY, "basic", null, null));
    }

    @Test
    void signupOlderThanTheLatestCancellationDoesNotReactivate() {
        CustomerProfile p = weeklyBuyer(2);
        p.cancellation(20 * DAY);
        assertEquals(CustomerProfile.LifecycleChange.NONE, p.signup(10 * DAY, "pro", null, null));
        assertTrue(!p.active());
    }

    @Test
    void purchaseTimesStayBoundedAndOrdered() {
        CustomerProfile p = new CustomerProfile();
        p.signup(0, null, null, null);
        for (int i = 200; i > 0; i--) {
            p.purchase(i * DAY, 100); // newest first: out of order
        }
        assertEquals(200, p.purchaseCount());
        assertEquals(CustomerProfile.MAX_PURCHASE_TIMES, p.purchaseTimes.length);
        assertEquals(137 * DAY, p.purchaseTimes[0]);
        assertEquals(200 * DAY, p.purchaseTimes[CustomerProfile.MAX_PURCHASE_TIMES - 1]);
        assertEquals(DAY, p.typicalGapMs());
    }

    /** The default policy with other CSAT and CES thresholds, through the record's validating constructor. */
    private static AlertPolicy withSurveyThresholds(int lowCsat, int highEffort) {
        AlertPolicy d = AlertPolicy.defaults();
        return new AlertPolicy(d.inactivityMultiplier(), d.inactivityFloor(), d.defaultGap(), d.frequencyPeriod(),
                d.frequencyDropRatio(), d.frequencyMinPrevious(), d.surveyRelevance(), lowCsat, highEffort, d.weights(),
                d.mediumThreshold(), d.highThreshold(), d.profileRetention());
    }
}
