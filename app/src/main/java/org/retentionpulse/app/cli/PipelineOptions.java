package org.retentionpulse.app.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;
import picocli.CommandLine.Option;

/** Options shared by the commands that run the pipeline; each overrides the config file and environment. */
public final class PipelineOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings (see README: Configuration).")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Kafka cluster to use.")
    String bootstrapServers;

    @Option(names = "--windows", paramLabel = "SPECS", description = "Window specs size/advance, comma-separated (default P1D/P1D,P7D/P1D,P30D/P1D).")
    String windows;

    @Option(names = "--grace", paramLabel = "DURATION", description = "How long windows accept out-of-order events after they end (default PT6H).")
    String grace;

    @Option(names = "--dedup-horizon", paramLabel = "DURATION", description = "How long an event id is remembered to drop duplicates (default: longest window + grace).")
    String dedupHorizon;

    @Option(names = "--dimensions", paramLabel = "LIST", description = "Segment dimensions (default plan,country,channel).")
    String dimensions;

    @Option(names = "--reporting-currency", paramLabel = "ISO4217", description = "The only accepted purchase currency (default EUR).")
    String reportingCurrency;

    @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams application id (default retention-pulse).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Directory of the local state stores.")
    String stateDir;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port of /metrics, /health and /api (default 8080; 0 = any free port).")
    String httpPort;

    @Option(names = "--http-bind", paramLabel = "ADDRESS", description = "Address the HTTP server listens on (default 127.0.0.1; 0.0.0.0 for all).")
    String httpBind;

    @Option(names = "--alerts-rules", paramLabel = "FILE", description = "Metric alert rules (docs/ALERT-RULES.md; default none).")
    String alertsRules;

    @Option(names = "--confidence", paramLabel = "LEVEL", description = "Level of the rates' confidence intervals (default 0.95).")
    String confidence;

    /** Loads the layered settings: defaults, --config file, RETENTION_PULSE_* environment, then these options. */
    public Settings load() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.BOOTSTRAP_SERVERS, bootstrapServers);
        overrides.put(AppDefaults.WINDOWS, windows);
        overrides.put(AppDefaults.GRACE, grace);
        overrides.put(AppDefaults.DIMENSIONS, dimensions);
        overrides.put(AppDefaults.DEDUP_HORIZON, dedupHorizon);
        overrides.put(AppDefaults.REPORTING_CURRENCY, reportingCurrency);
        overrides.put(AppDefaults.APPLICATION_ID, applicationId);
        overrides.put(AppDefaults.STATE_DIR, stateDir);
        overrides.put(AppDefaults.HTTP_PORT, httpPort);
        overrides.put(AppDefaults.HTTP_BIND, httpBind);
        overrides.put(AppDefaults.ALERTS_RULES, alertsRules);
        overrides.put(AppDefaults.CONFIDENCE, confidence);
        return Settings.load(config, System.getenv(), overrides);
    }
}
