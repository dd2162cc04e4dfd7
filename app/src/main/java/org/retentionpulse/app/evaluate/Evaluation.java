package org.retentionpulse.app.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.topology.alerts.AlertPolicy;
import org.retentionpulse.topology.alerts.ChurnRiskScorer;
import org.retentionpulse.topology.alerts.RiskAssessment;
import org.retentionpulse.topology.alerts.RiskFinding;
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.CustomerModel;
import org.retentionpulse.topology.model.CustomerPrediction;
import org.retentionpulse.topology.model.CustomerSummary;
import org.retentionpulse.topology.model.FitSample;
import org.retentionpulse.topology.model.ModelPolicy;
import org.retentionpulse.topology.model.ModelRisk;

/**
 * Does the risk score predict churn? Replays a history up to a calibration end, takes every customer's risk
 * score as of that instant, and measures how well it ranks the customers who then made no purchase until the
 * holdout end, next to two baselines computed the same way: days since the last purchase, and a batch BG/NBD
 * fit's expected purchases in the holdout (negated).
 *
 * <p>The score is the project's own: each customer's {@code CustomerProfile} is built from its events as the
 * customer stage builds it and scored by {@link ChurnRiskScorer}; the customer-lifetime model is fitted on the
 * evaluated customers (at most the policy's sample) and combined by {@link ModelRisk}, as it will be in the
 * stream. Everything is computed in memory, so the history must fit in it.
 */
public final class Evaluation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY_MS = 86_400_000L;

    private final EvaluationOptions options;
    private final ChurnRiskScorer scorer;
    private final ModelRisk modelRisk;

    public Evaluation(EvaluationOptions options, AlertPolicy alerts, ModelPolicy model) {
        this.options = options;
        this.scorer = new ChurnRiskScorer(alerts);
        this.modelRisk = new ModelRisk(model, scorer);
    }

    public EvaluationReport run() throws IOException {
        return run(null);
    }

    /**
     * The same with given model parameters instead of a fit at the calibration end ({@code null}: fitted), e.g. a
     * stream task's fit: the scores are then what the stream's scoring function gives for those parameters. (The
     * stream scores with its latest daily fit, warm-started on its task's sample of every customer with a purchase;
     * evaluate fits cold, in batch, on the customers active with a purchase at the calibration end: the parameters
     * differ, the function does not; {@code StreamScoresMatchEvaluateTest}.)
     */
    EvaluationReport run(CustomerModel parameters) throws IOException {
        EventHistories histories = EventHistories.read(options.input(), options.reportingCurrency());
        long calibrationEnd = options.calibrationEnd().toEpochMilli();
        long holdoutEnd = options.holdoutEnd() != null ? options.holdoutEnd().toEpochMilli()
                : Math.floorDiv(histories.latestEventAt(), DAY_MS) * DAY_MS + DAY_MS;
        if (holdoutEnd <= calibrationEnd) {
            throw new IllegalArgumentException("the holdout end " + Instant.ofEpochMilli(holdoutEnd)
                    + " must be after the calibration end " + options.calibrationEnd());
        }
        List<CustomerAtCalibrationEnd> customers = new ArrayList<>();
        long withoutPurchase = 0;
        long notActive = 0;
        for (var e : histories.byCustomer().entrySet()) {
            CustomerAtCalibrationEnd c = CustomerAtCalibrationEnd.of(e.getKey(), e.getValue(), calibrationEnd, holdoutEnd);
            if (c.evaluated()) {
                customers.add(c);
            } else if (c.profile().active()) {
                withoutPurchase++;
            } else {
                notActive++;
            }
        }
        if (customers.isEmpty()) {
            throw new IllegalArgumentException("no customer is active with a purchase before " + options.calibrationEnd());
        }
        Map<String, CustomerSummary> summaries = new LinkedHashMap<>();
        customers.forEach(c -> summaries.put(c.customerId(), c.summary()));
        long started = System.nanoTime();
        List<CustomerSummary> sample = FitSample.of(summaries, modelRisk.policy().fitSampleSize());
        CustomerModel model = parameters != null ? parameters : CustomerModel.fit(sample, modelRisk.policy().horizon());
        long fitMillis = (System.nanoTime() - started) / 1_000_000;
        BgNbd.Fit batch = sample.size() == summaries.size() && parameters == null ? model.purchases()
                : BgNbd.fit(summaries.values());
        return score(customers, model, batch, calibrationEnd, holdoutEnd, withoutPurchase, notActive, fitMillis);
    }

    private EvaluationReport score(List<CustomerAtCalibrationEnd> customers, CustomerModel model, BgNbd.Fit batch,
            long calibrationEnd, long holdoutEnd, long withoutPurchase, long notActive, long fitMillis) throws IOException {
        int n = customers.size();
        double holdoutDays = (holdoutEnd - calibrationEnd) / (double) DAY_MS;
        double[] score = new double[n];
        double[] rules = new double[n];
        double[] inactive = new double[n];
        double[] recency = new double[n];
        double[] baseline = new double[n];
        boolean[] churned = new boolean[n];
        RiskLevel[] levels = new RiskLevel[n];
        RiskLevel[] rulesLevels = new RiskLevel[n];
        BufferedWriter out = options.scoresOut() == null ? null
                : Files.newBufferedWriter(options.scoresOut(), StandardCharsets.UTF_8);
        try {
            for (int i = 0; i < n; i++) {
                CustomerAtCalibrationEnd c = customers.get(i);
                RiskAssessment byRules = scorer.assess(c.profile(), calibrationEnd);
                CustomerPrediction prediction = model.predict(c.summary());
                RiskAssessment combined = modelRisk.combine(c.profile(), byRules, c.summary(), prediction);
                score[i] = combined.score();
                levels[i] = combined.level();
                rules[i] = byRules.score();
                rulesLevels[i] = byRules.level();
                inactive[i] = byRules.findings().stream().filter(f -> f.signal() == RiskSignal.INACTIVE)
                        .mapToDouble(RiskFinding::weight).sum();
                recency[i] = c.daysSinceLastPurchase(calibrationEnd);
                baseline[i] = -batch.model().expectedPurchases(holdoutDays, c.summary());
                churned[i] = c.churned();
                if (out != null) {
                    out.write(scoreLine(c.customerId(), combined, prediction));
                    out.newLine();
                }
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        long churners = 0;
        for (boolean b : churned) {
            churners += b ? 1 : 0;
        }
        return new EvaluationReport(options.calibrationEnd(), Instant.ofEpochMilli(holdoutEnd), n, withoutPurchase,
                notActive, churners, RankingQuality.auc(score, churned), RankingQuality.auc(rules, churned),
                RankingQuality.auc(inactive, churned), RankingQuality.auc(recency, churned),
                RankingQuality.auc(baseline, churned), atLeast(levels, RiskLevel.MEDIUM, churned),
                atLeast(levels, RiskLevel.HIGH, churned), atLeast(rulesLevels, RiskLevel.MEDIUM, churned),
                atLeast(rulesLevels, RiskLevel.HIGH, churned), model, batch, fitMillis);
    }

    private static RankingQuality.Flagged atLeast(RiskLevel[] levels, RiskLevel level, boolean[] churned) {
        boolean[] flagged = new boolean[levels.length];
        for (int i = 0; i < levels.length; i++) {
            flagged[i] = levels[i] != RiskLevel.CHURNED && levels[i].ordinal() >= level.ordinal();
        }
        return RankingQuality.Flagged.of(flagged, churned);
    }

    private static String scoreLine(String customerId, RiskAssessment a, CustomerPrediction p) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("customer_id", customerId);
        line.put("score", a.score());
        line.put("level", a.level().name());
        line.put("p_alive", round(p.pAlive()));
        line.put("expected_purchases", round(p.expectedPurchases()));
        line.put("predicted_clv", round(p.predictedClv()));
        return JSON.writeValueAsString(line);
    }

    private static double round(double x) {
        return Math.round(x * 10_000d) / 10_000d;
    }
}
