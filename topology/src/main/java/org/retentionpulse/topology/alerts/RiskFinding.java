package org.retentionpulse.topology.alerts;

import java.util.function.Supplier;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;

/**
 * One signal of a {@link RiskAssessment}: what the score is made of (the signal and its rounded weight) at once, the
 * reason an alert shows (its evidence and a sentence) only when asked for.
 *
 * <p>Why lazy: a customer is assessed on every event and every due check, and nearly every assessment raises no alert
 * (the level did not rise). The evidence maps, the formatted sentences and the Avro builder cost more than the score,
 * so they are built only for an alert or a query. {@code explain} must capture values, not a mutable profile: it may
 * run after the assessment was made.
 *
 * @param weight the weight the reason shows (rounded as {@link ChurnRiskScorer#round}); the score sums unrounded ones
 * @param explain builds the reason, with this signal and weight
 */
public record RiskFinding(RiskSignal signal, double weight, Supplier<RiskReason> explain) {

    /** The reason an alert shows: this signal and weight, the evidence and the sentence. */
    public RiskReason reason() {
        return explain.get();
    }

    /** The same finding shown with another weight (the model keeps FREQUENCY_DROP as an explanation with weight 0). */
    public RiskFinding withWeight(double shownWeight) {
        Supplier<RiskReason> original = explain;
        return new RiskFinding(signal, shownWeight, () -> RiskReason.newBuilder(original.get()).setWeight(shownWeight).build());
    }
}
