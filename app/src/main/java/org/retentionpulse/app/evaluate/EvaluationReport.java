package org.retentionpulse.app.evaluate;

import java.time.Instant;
import java.util.Locale;
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.CustomerModel;
import org.retentionpulse.topology.model.GammaGamma;

/**
 * The figures of one evaluation.
 *
 * @param evaluated customers active at the calibration end with a purchase before it
 * @param withoutPurchase active customers left out for lack of a purchase before the calibration end
 * @param notActive customers left out because they were not active at the calibration end (cancelled, or no signup)
 * @param churned evaluated customers without a purchase in the holdout
 * @param scoreAuc AUC of the project's risk score (rules with the model)
 * @param rulesAuc AUC of the rules' score alone (the score without a model)
 * @param inactiveAuc AUC of the INACTIVE signal's contribution alone
 * @param recencyAuc AUC of the days since the latest purchase (baseline)
 * @param bgNbdAuc AUC of a batch BG/NBD fit's expected holdout purchases, negated (baseline)
 * @param medium precision and recall of level MEDIUM or HIGH of the risk score
 * @param high precision and recall of level HIGH of the risk score
 * @param rulesMedium the same for the rules' score alone
 * @param rulesHigh the same for the rules' score alone
 * @param model the model the score used, fitted on at most the policy's sample of the evaluated customers
 * @param batch the baseline's BG/NBD, fitted on every evaluated customer
 * @param fitMillis time to fit {@code model}
 */
public record EvaluationReport(Instant calibrationEnd, Instant holdoutEnd, long evaluated, long withoutPurchase,
                               long notActive, long churned, double scoreAuc, double rulesAuc, double inactiveAuc,
                               double recencyAuc, double bgNbdAuc, RankingQuality.Flagged medium,
                               RankingQuality.Flagged high, RankingQuality.Flagged rulesMedium,
                               RankingQuality.Flagged rulesHigh, CustomerModel model, BgNbd.Fit batch, long fitMillis) {

    /** The report as the command prints it. */
    public String format() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Customers: %,d active at %s with a purchase before it (left out: %,d without"
                        + " a purchase, %,d not active)%n", evaluated, calibrationEnd, withoutPurchase, notActive));
        s.append(String.format(Locale.ROOT, "Churned (no purchase from %s to %s): %,d (%.1f%%)%n", calibrationEnd,
                holdoutEnd, churned, 100.0 * churned / evaluated));
        BgNbd bg = model.purchases().model();
        GammaGamma gg = model.spend().model();
        s.append(String.format(Locale.ROOT, "Model (fitted in %.1f s): BG/NBD r=%.4f alpha=%.4f days a=%.4f b=%.4f "
                        + "(log-likelihood %.1f, %,d customers); Gamma-Gamma p=%.4f q=%.4f v=%.4f (%,d repeat buyers)%n",
                fitMillis / 1000.0, bg.r(), bg.alpha(), bg.a(), bg.b(), model.purchases().logLikelihood(),
                model.purchases().customers(), gg.p(), gg.q(), gg.v(), model.spend().customers()));
        s.append("AUC for churn (0.5 = chance):\n");
        s.append(String.format(Locale.ROOT, "  risk score (rules + model)                        %.4f%n", scoreAuc));
        s.append(String.format(Locale.ROOT, "  rules alone (the score without a model)           %.4f%n", rulesAuc));
        s.append(String.format(Locale.ROOT, "  INACTIVE signal alone                             %.4f%n", inactiveAuc));
        s.append(String.format(Locale.ROOT, "  baseline: days since the last purchase            %.4f%n", recencyAuc));
        s.append(String.format(Locale.ROOT, "  baseline: BG/NBD expected holdout purchases (-)   %.4f%n", bgNbdAuc));
        s.append("Levels (precision = share of flagged who churned, recall = share of churned flagged):\n");
        s.append(level("risk score  MEDIUM or HIGH", medium)).append(level("risk score  HIGH", high));
        s.append(level("rules alone MEDIUM or HIGH", rulesMedium)).append(level("rules alone HIGH", rulesHigh));
        return s.toString();
    }

    private static String level(String name, RankingQuality.Flagged f) {
        return String.format(Locale.ROOT, "  %-28s precision %.4f  recall %.4f  (%,d flagged)%n", name, f.precision(),
                f.recall(), f.flagged());
    }
}
