package org.retentionpulse.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.retentionpulse.app.replay.Replay;
import org.retentionpulse.app.replay.ReplayOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retention-pulse replay}: a JSON Lines file through the real pipeline, final metrics out. */
@Command(name = "replay",
        description = {"Runs canonical JSON Lines events through the real pipeline on Kafka (an embedded broker unless "
                + "--bootstrap-servers is given), lets every window close, and writes every final metric record as JSON Lines.",
                "Invalid lines are rejected to the dead-letter topic and counted, never fatal."})
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Events, one JSON object per line (docs/METRICS.md section 1).")
    Path input;

    @Option(names = "--metrics-out", required = true, paramLabel = "FILE", description = "Where the final metric records go.")
    Path metricsOut;

    @Option(names = "--alerts-out", paramLabel = "FILE", description = "Where churn-risk alerts go.")
    Path alertsOut;

    @Option(names = "--metric-alerts-out", paramLabel = "FILE",
            description = "Where metric alerts go (rules from --alerts-rules or the alerts.rules setting).")
    Path metricAlertsOut;

    @Option(names = "--cohorts-out", paramLabel = "FILE",
            description = "Where the final cohort cells go (contract section 9; cohorts.period, cohorts.periods).")
    Path cohortsOut;

    @Option(names = "--timeout", defaultValue = "PT30M", paramLabel = "DURATION", description = "How long the pipeline may take.")
    Duration timeout;

    @Option(names = "--keep-topics", description = "Keep the run's topics on an existing cluster.")
    boolean keepTopics;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() throws Exception {
        Replay.Result r = new Replay(new ReplayOptions(input, metricsOut, alertsOut, pipeline.bootstrapServers, timeout,
                keepTopics, metricAlertsOut, cohortsOut),
                pipeline.load(), System.out).run();
        System.out.printf("Replayed %,d events in %.1f s: %,d final metric records -> %s%n", r.lines(),
                r.elapsed().toMillis() / 1000.0, r.finals(), metricsOut);
        if (alertsOut != null) {
            System.out.printf("  %,d churn-risk alerts -> %s%n", r.alerts(), alertsOut);
        }
        if (metricAlertsOut != null) {
            System.out.printf("  %,d metric alerts -> %s%n", r.metricAlerts(), metricAlertsOut);
        }
        if (cohortsOut != null) {
            System.out.printf("  %,d cohort cells -> %s%n", r.cohortCells(), cohortsOut);
        }
        System.out.printf("  rejected to the dead-letter topic: %,d %s; late events: %,d%s%n", r.deadLetters(),
                r.rejectedByReason(), r.lateEvents(), r.blankLines() > 0 ? "; blank lines skipped: " + r.blankLines() : "");
        return 0;
    }
}
