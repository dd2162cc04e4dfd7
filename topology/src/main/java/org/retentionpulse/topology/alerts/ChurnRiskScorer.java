package org.retentionpulse.topology.alerts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.topology.delta.NpsBand;

/**
 * Scores a {@link CustomerProfile} as of an instant under an {@link AlertPolicy}: each signal that holds
 * contributes its weight (INACTIVE scaled by how overdue the customer is), the score is their sum capped at 1,
 * and every contribution comes with the numbers behind it and a sentence a support agent can act on.
 *
 * <p>A pure function of its inputs, so replays and restarts score identically. It also says when time
 * alone next changes the answer (the inactivity threshold and its escalation steps, a survey response
 * ageing out), which is when {@link ChurnRiskTracker} looks at the customer again.
 */
public final class ChurnRiskScorer {
    private static final double DAY = 86_400_000d;
    /** INACTIVE is re-checked at threshold × (1, 1.25, 1.5, 1.75, 2): its strength is full at 2 × threshold. */
    private static final int INACTIVITY_STEPS = 4;

    private final AlertPolicy policy;

    public ChurnRiskScorer(AlertPolicy policy) {
        this.policy = policy;
    }

    public AlertPolicy policy() {
        return policy;
    }

    public RiskAssessment assess(CustomerProfile p, long asOf) {
        if (!p.active()) {
            return RiskAssessment.none(asOf, Long.MAX_VALUE);
        }
        Reasons reasons = new Reasons();
        long next = Long.MAX_VALUE;
        next = Math.min(next, inactivity(p, asOf, reasons));
        next = Math.min(next, survey(p, asOf, SurveyType.NPS, RiskSignal.DETRACTOR, score -> NpsBand.of(score) == NpsBand.DETRACTOR, reasons));
        next = Math.min(next, survey(p, asOf, SurveyType.CSAT, RiskSignal.LOW_CSAT, score -> score <= policy.lowCsatMax(), reasons));
        next = Math.min(next, survey(p, asOf, SurveyType.CES, RiskSignal.HIGH_EFFORT, score -> score <= policy.highEffortMax(), reasons));
        frequency(p, reasons);
        double score = Math.min(1, reasons.rawScore);
        return new RiskAssessment(asOf, round(score), levelOf(score), reasons.list, next);
    }

    /** The level of an unrounded score; the tolerance absorbs floating-point error in sums such as 0.3 + 0.4. */
    public RiskLevel levelOf(double score) {
        double s = score + 1e-12;
        if (s >= policy.highThreshold()) {
            return RiskLevel.HIGH;
        }
        return s >= policy.mediumThreshold() ? RiskLevel.MEDIUM : RiskLevel.LOW;
    }

    /** The inactivity threshold of a customer: its typical gap (or the default) times the multiplier, at least the floor. */
    public long inactivityThresholdMs(CustomerProfile p) {
        return thresholdMs(p.typicalGapMs());
    }

    private long thresholdMs(long typicalGap) {
        long basis = typicalGap < 0 ? policy.defaultGap().toMillis() : typicalGap;
        return Math.max(policy.inactivityFloor().toMillis(), (long) Math.ceil(basis * policy.inactivityMultiplier()));
    }

    private long inactivity(CustomerProfile p, long asOf, Reasons reasons) {
        long since = Math.max(p.lastPurchaseAt(), p.activeSince());
        long gap = p.typicalGapMs();
        long threshold = thresholdMs(gap);
        long elapsed = asOf - since;
        if (elapsed >= threshold) {
            double strength = Math.min(1, elapsed / (2d * threshold));
            boolean neverBought = p.lastPurchaseAt() == CustomerProfile.NONE;
            long purchases = p.purchaseCount();
            reasons.add(RiskSignal.INACTIVE, policy.weight(RiskSignal.INACTIVE) * strength,
                    () -> inactivityReason(neverBought, purchases, gap, threshold, elapsed));
        }
        // The next step at which INACTIVE appears or grows; none once its strength is full.
        for (int step = 0; step <= INACTIVITY_STEPS; step++) {
            long at = since + threshold + threshold * step / INACTIVITY_STEPS;
            if (at > asOf) {
                return at;
            }
        }
        return Long.MAX_VALUE;
    }

    /** INACTIVE's evidence and sentence (built for an alert only: {@link RiskFinding}). */
    private Explained inactivityReason(boolean neverBought, long purchases, long gap, long threshold, long elapsed) {
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put(neverBought ? "days_since_signup" : "days_since_last_purchase", days(elapsed));
        if (gap >= 0) {
            evidence.put("typical_gap_days", days(gap));
        }
        evidence.put("threshold_days", days(threshold));
        evidence.put("purchases", (double) purchases);
        String rhythm = gap >= 0
                ? String.format(Locale.ROOT, "usually buys every %.1f days", gap / DAY)
                : String.format(Locale.ROOT, "has no purchase rhythm yet (%d purchases; %.0f days assumed)",
                        purchases, policy.defaultGap().toMillis() / DAY);
        String what = neverBought
                ? String.format(Locale.ROOT, "No purchase in %.1f days since signup", elapsed / DAY)
                : String.format(Locale.ROOT, "No purchase for %.1f days", elapsed / DAY);
        return new Explained(evidence, String.format(Locale.ROOT, "%s; the customer %s, so inactivity is flagged after %.1f days",
                what, rhythm, threshold / DAY));
    }

    /** A survey signal from the latest answer to {@code type} while it is relevant, when {@code negative} says it is one. */
    private long survey(CustomerProfile p, long asOf, SurveyType type, RiskSignal signal, IntPredicate negative,
            Reasons reasons) {
        CustomerProfile.SurveyAnswer answer = p.latest(type);
        if (answer == null || !negative.test(answer.score())) {
            return Long.MAX_VALUE;
        }
        long expires = answer.at() + policy.surveyRelevance().toMillis();
        if (asOf >= expires || answer.at() > asOf) {
            return answer.at() > asOf ? answer.at() : Long.MAX_VALUE;
        }
        int score = answer.score();
        long age = asOf - answer.at();
        reasons.add(signal, policy.weight(signal), () -> surveyReason(type, signal, score, age));
        return expires;
    }

    /** A survey signal's evidence and sentence (built for an alert only). */
    private static Explained surveyReason(SurveyType type, RiskSignal signal, int score, long age) {
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put(type.name().toLowerCase(Locale.ROOT) + "_score", (double) score);
        evidence.put("days_since_response", days(age));
        String when = ago(age);
        String explanation = switch (signal) {
            case DETRACTOR -> String.format(Locale.ROOT, "NPS detractor: answered %d of 10 %s", score, when);
            case LOW_CSAT -> String.format(Locale.ROOT, "Low satisfaction: CSAT %d of 5 %s", score, when);
            default -> String.format(Locale.ROOT, "High effort: CES %d of 5 (5 = easiest) %s", score, when);
        };
        return new Explained(evidence, explanation);
    }

    /**
     * Measured at the customer's latest purchase, not at {@code asOf}: a customer who stops buying altogether
     * is INACTIVE's case, and counting the same silence twice would inflate the score.
     */
    private void frequency(CustomerProfile p, Reasons reasons) {
        long last = p.lastPurchaseAt();
        if (last == CustomerProfile.NONE) {
            return;
        }
        long period = policy.frequencyPeriod().toMillis();
        int recent = p.purchasesBetween(last - period, last);
        int previous = p.purchasesBetween(last - 2 * period, last - period);
        if (previous >= policy.frequencyMinPrevious() && recent <= policy.frequencyDropRatio() * previous) {
            reasons.add(RiskSignal.FREQUENCY_DROP, policy.weight(RiskSignal.FREQUENCY_DROP), () -> {
                Map<String, Double> evidence = new LinkedHashMap<>();
                evidence.put("recent_purchases", (double) recent);
                evidence.put("previous_purchases", (double) previous);
                evidence.put("period_days", days(period));
                return new Explained(evidence, String.format(Locale.ROOT,
                        "Buying less often: %d purchases in the %.0f days up to the last one, against %d in the %.0f days before",
                        recent, period / DAY, previous, period / DAY));
            });
        }
    }

    /** A reason's evidence and sentence. */
    private record Explained(Map<String, Double> evidence, String explanation) {
    }

    /** The findings so far, and their unrounded sum: levels are decided on that, reasons show rounded weights. */
    private static final class Reasons {
        final List<RiskFinding> list = new ArrayList<>(4);
        double rawScore;

        void add(RiskSignal signal, double weight, Supplier<Explained> explained) {
            rawScore += weight;
            double shown = round(weight);
            list.add(new RiskFinding(signal, shown, () -> {
                Explained e = explained.get();
                return RiskReason.newBuilder().setSignal(signal).setWeight(shown).setEvidence(e.evidence())
                        .setExplanation(e.explanation()).build();
            }));
        }
    }

    private static String ago(long ms) {
        if (ms <= 0) {
            return "just now";
        }
        return ms < DAY ? String.format(Locale.ROOT, "%.0f hours ago", Math.max(1, Math.floor(ms / 3_600_000d)))
                : String.format(Locale.ROOT, "%.1f days ago", ms / DAY);
    }

    private static double days(long ms) {
        return round(ms / DAY);
    }

    static double round(double x) {
        return Math.round(x * 10_000d) / 10_000d;
    }
}
