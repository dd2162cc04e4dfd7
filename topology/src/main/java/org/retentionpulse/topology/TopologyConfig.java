package org.retentionpulse.topology;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.alerts.AlertPolicy;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.CohortSpec;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * Everything the topology is built from. The topology is a pure function of this object: the same config
 * gives the same topology under TopologyTestDriver, the embedded broker and a production cluster.
 *
 * @param topics topic names
 * @param windows window specs (default {@code P1D/P1D, P7D/P1D, P30D/P1D})
 * @param grace how long a window accepts out-of-order events after its end (default PT6H)
 * @param dimensions segment dimensions (default plan, country, channel)
 * @param reportingCurrency the only accepted purchase currency (default EUR)
 * @param sourcePartitions partitions of the input topics: the segment stage waits for the stream time of each
 * @param segmentPartitions partitions of the segment stage (default 1)
 * @param updateInterval how often open windows publish coalesced updates (wall-clock; zero = finals only)
 * @param dedupHorizon how long an event id is remembered (default: longest window + grace)
 * @param outputFormat wire format of the metric, alert and late-event topics
 * @param stores persistent (RocksDB) or in-memory state stores
 * @param alerts how churn risk is scored and when it alerts
 * @param historyRetention how long a closed window's values stay queryable in the metric-history store (default P90D)
 * @param churn when customers stop being active and how churn reasons are capped (contract sections 7-8; default
 *              {@code none}, cap 20); not yet read by the stages
 * @param cohorts the cohort table's period and K (contract section 9; default P1W, 12); not yet read by the stages
 */
public record TopologyConfig(
        Topics topics,
        List<WindowSpec> windows,
        Duration grace,
        List<Dimension> dimensions,
        String reportingCurrency,
        int sourcePartitions,
        int segmentPartitions,
        Duration updateInterval,
        Duration dedupHorizon,
        WireFormat outputFormat,
        StoreKind stores,
        AlertPolicy alerts,
        Duration historyRetention,
        ChurnPolicy churn,
        CohortSpec cohorts) {

    public static final List<WindowSpec> DEFAULT_WINDOWS =
            List.of(WindowSpec.parse("P1D/P1D"), WindowSpec.parse("P7D/P1D"), WindowSpec.parse("P30D/P1D"));
    public static final Duration DEFAULT_GRACE = Duration.ofHours(6);
    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(90);

    public TopologyConfig {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(churn, "churn");
        Objects.requireNonNull(cohorts, "cohorts");
        windows = List.copyOf(windows);
        dimensions = List.copyOf(dimensions);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one window spec is required");
        }
        if (sourcePartitions < 1 || segmentPartitions < 1) {
            throw new IllegalArgumentException("partition counts must be at least 1");
        }
        if (historyRetention == null) {
            historyRetention = DEFAULT_HISTORY_RETENTION;
        }
        if (dedupHorizon == null) {
            dedupHorizon = Duration.ofMillis(new WindowSet(windows, grace).horizonMs());
        }
        if (dedupHorizon.isNegative() || dedupHorizon.isZero()) {
            throw new IllegalArgumentException("the dedup horizon must be positive, got " + dedupHorizon);
        }
    }

    /** RocksDB (default, for production) or in-memory stores (tests, benchmarks of the processing alone). */
    public enum StoreKind { PERSISTENT, IN_MEMORY }

    /**
     * Topic names. Input topics may carry any of the four event types (each record says which it is).
     */
    public record Topics(List<String> inputs, String metricUpdates, String alerts, String lateEvents, String deadLetters) {
        public static final List<String> DEFAULT_INPUTS =
                List.of("customer-signups", "customer-purchases", "customer-cancellations", "customer-surveys");

        public Topics {
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("at least one input topic is required");
            }
        }

        public static Topics defaults() {
            return new Topics(DEFAULT_INPUTS, "retention-metric-updates", "churn-risk-alerts",
                    "retention-late-events", "retention-dead-letters");
        }

        public Topics withInputs(List<String> inputs) {
            return new Topics(inputs, metricUpdates, alerts, lateEvents, deadLetters);
        }

        /** All topic names with the given prefix, e.g. per replay run. */
        public Topics prefixed(String prefix) {
            return new Topics(inputs.stream().map(t -> prefix + t).toList(), prefix + metricUpdates, prefix + alerts,
                    prefix + lateEvents, prefix + deadLetters);
        }
    }

    public static TopologyConfig defaults() {
        return new TopologyConfig(Topics.defaults(), DEFAULT_WINDOWS, DEFAULT_GRACE, List.of(Dimension.values()), "EUR",
                1, 1, Duration.ofSeconds(1), null, WireFormat.AVRO, StoreKind.PERSISTENT, AlertPolicy.defaults(),
                DEFAULT_HISTORY_RETENTION, ChurnPolicy.DEFAULT, CohortSpec.DEFAULT);
    }

    public WindowSet windowSet() {
        return new WindowSet(windows, grace);
    }

    public TopologyConfig withTopics(Topics t) {
        return new TopologyConfig(t, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, dedupHorizon, outputFormat, stores, alerts, historyRetention, churn, cohorts);
    }

    public TopologyConfig withWindows(List<WindowSpec> w, Duration g) {
        return new TopologyConfig(topics, w, g, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, null, outputFormat, stores, alerts, historyRetention, churn, cohorts);
    }

    public TopologyConfig withDimensions(List<Dimension> d) {
        return new TopologyConfig(topics, windows, grace, d, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, dedupHorizon, outputFormat, stores, alerts, historyRetention, churn, cohorts);
    }

    public TopologyConfig withReportingCurrency(String c) {
        return new TopologyConfig(topics, windows, grace, dimensions, c, sourcePartitions, segmentPartitions,
                updateInterval, dedupHorizon, outputFormat, stores, alerts, historyRetention, churn, cohorts);
    }

    public TopologyConfig withPartitions(int source, int segment) {
        return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, source, segment,
                updateInterval, dedupHorizon, outputFormat, stores, alerts, historyRetention, churn, cohorts);
    }

    public TopologyConfig withUpdateInterval(Duration u) {
        return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                u, dedupHorizon, outputFormat, stores, alerts, historyRetention, churn, cohorts);
    }

    public TopologyConfig withDedupHorizon(Duration d) {
        return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, d, outputFormat, stores, alerts, historyRetention, churn, cohorts);
    }

    public TopologyConfig withOutputFormat(WireFormat f) {
        return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, dedupHorizon, f, stores, alerts, historyRetention, churn, cohorts);
    }

    public TopologyConfig withStores(StoreKind s) {
        return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, dedupHorizon, outputFormat, s, alerts, historyRetention, churn, cohorts);
    }

    public TopologyConfig withAlerts(AlertPolicy a) {
        return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, dedupHorizon, outputFormat, stores, a, historyRetention, churn, cohorts);
    }

    public TopologyConfig withChurn(ChurnPolicy c) {
        return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, dedupHorizon, outputFormat, stores, alerts, historyRetention, c, cohorts);
    }

    public TopologyConfig withCohorts(CohortSpec c) {
        return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, dedupHorizon, outputFormat, stores, alerts, historyRetention, churn, c);
    }

    public TopologyConfig withHistoryRetention(Duration h) {
        return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                updateInterval, dedupHorizon, outputFormat, stores, alerts, h, churn, cohorts);
    }
}
