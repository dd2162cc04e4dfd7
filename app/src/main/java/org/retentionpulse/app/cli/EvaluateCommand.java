package org.retentionpulse.app.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.evaluate.Evaluation;
import org.retentionpulse.app.evaluate.EvaluationOptions;
import org.retentionpulse.app.evaluate.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code retention-pulse evaluate}: does the risk score predict churn on a history? */
@Command(name = "evaluate",
        description = {"Scores every customer as of the calibration end from its earlier events (the project's churn-risk "
                + "score with the customer-lifetime model fitted on them) and reports how well the score ranks the "
                + "customers who then made no purchase until the holdout end: AUC, precision and recall of each level, "
                + "and two baselines (days since the last purchase; a batch BG/NBD fit's expected holdout purchases).",
                "Uses the alerts.* and model.* settings (--config, RETENTION_PULSE_* environment)."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Events, one JSON object per line (spec section 1).")
    Path input;

    @Option(names = "--calibration-end", required = true, paramLabel = "DATE", converter = InstantOrDate.class,
            description = "Scores as of this instant (a date means its 00:00 UTC), from the events before it.")
    Instant calibrationEnd;

    @Option(names = "--holdout-end", paramLabel = "DATE", converter = InstantOrDate.class,
            description = "Churned = no purchase from the calibration end to this instant (exclusive; default: the day after the latest event).")
    Instant holdoutEnd;

    @Option(names = "--scores-out", paramLabel = "FILE",
            description = "Writes one JSON line per customer: customer_id, score, level, p_alive, expected_purchases, predicted_clv.")
    Path scoresOut;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings (see README: Configuration).")
    Path config;

    @Option(names = "--reporting-currency", paramLabel = "ISO4217", description = "The only accepted purchase currency (default EUR).")
    String reportingCurrency;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.REPORTING_CURRENCY, reportingCurrency);
        PipelineSettings settings = new PipelineSettings(Settings.load(config, System.getenv(), overrides));
        EvaluationOptions options = new EvaluationOptions(input, calibrationEnd, holdoutEnd, scoresOut,
                settings.settings().get(AppDefaults.REPORTING_CURRENCY));
        EvaluationReport report = new Evaluation(options, settings.alertPolicy(), settings.modelPolicy()).run();
        System.out.print(report.format());
        if (scoresOut != null) {
            System.out.printf("Scores of %,d customers -> %s%n", report.evaluated(), scoresOut);
        }
        return 0;
    }

    /** An ISO date (its start, UTC) or an ISO instant. */
    static final class InstantOrDate implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected a date such as 1997-10-01 or an instant such as 1997-10-01T00:00:00Z, got '" + value + "'");
            }
        }
    }
}
