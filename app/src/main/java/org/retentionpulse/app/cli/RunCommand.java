package org.retentionpulse.app.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.pipeline.PipelineStartup;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.app.pipeline.StreamTimeTicker;
import org.retentionpulse.topology.TopologyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code retention-pulse run}: the pipeline alone against an existing cluster (the production mode). */
@Command(name = "run",
        description = {"Runs the pipeline against an existing Kafka cluster until Ctrl-C or SIGTERM.",
                "Settings come from --config FILE, then RETENTION_PULSE_* environment variables, then options. "
                        + "Start several instances with the same application id to scale out."})
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() throws Exception {
        Settings settings = pipeline.load();
        settings.get(AppDefaults.BOOTSTRAP_SERVERS);
        log.info("Settings:\n{}", format(settings.describe()));
        PipelineSettings ps = new PipelineSettings(settings);
        StartedPipeline running = PipelineStartup.start(PipelineStartup.Request.of(settings).served());
        TopologyConfig topology = running.topology();
        int partitions = topology.sourcePartitions();
        CountDownLatch stopped = new CountDownLatch(1);
        Duration tickInterval = settings.getDuration(AppDefaults.TICKS_INTERVAL);
        StreamTimeTicker ticker = tickInterval.isZero() ? null
                : new StreamTimeTicker(ps.clientProperties(), topology.topics().inputs().get(0),
                        settings.getDuration(AppDefaults.TICKS_LAG), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down...");
            if (ticker != null) {
                ticker.close();
            }
            running.close();
            stopped.countDown();
        }, "retention-pulse-shutdown"));
        if (ticker != null) {
            ticker.start(tickInterval);
        }
        log.info("Pipeline started: {} input partitions, inputs {}, metric updates to {}; metrics {}/metrics, API {}/api/metrics/",
                partitions, topology.topics().inputs(), topology.topics().metricUpdates(), running.served().url(), running.served().url());
        stopped.await();
        return 0;
    }

    static String format(Map<String, String> described) {
        StringBuilder sb = new StringBuilder();
        described.forEach((k, v) -> sb.append("  ").append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }
}
