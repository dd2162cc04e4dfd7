package org.retentionpulse.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.alerts.AlertPolicy;
import org.retentionpulse.topology.combine.DeltaCombining;
import org.retentionpulse.topology.confidence.ConfidenceLevel;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.serde.FutureEventGuard;
import org.retentionpulse.topology.metricalerts.MetricAlertRule;
import org.retentionpulse.topology.modelfit.ModelFitting;
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
 * @param maxFuture how far ahead of {@code clock} an event time or tick may be; later ones are rejected (default PT1H)
 * @param clock the wall clock the future rule reads (tests fix it)
 * @param confidence the level of the rates' confidence intervals (default 0.95)
 * @param metricAlertRules the metric alert rules run on final records (default none: no metric alert stage)
 * @param churn when customers stop being active and how churn reasons are capped (contract sections 7-8; default
 *              {@code none}, cap 20)
 * @param cohorts the cohort table's period and K (contract section 9; default P1W, 12)
 * @param modelFitting the customer-lifetime model fitted in the customer stage (default off: churn risk by the rules)
 * @param combining how a customer task combines its records' segment changes before the repartition topic (default
 *                  {@link DeltaCombining#PER_RECORD}, what TopologyTestDriver tests expect; the application's default
 *                  combines for 100 ms)
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
        Duration maxFuture,
        Clock clock,
        ConfidenceLevel confidence,
        List<MetricAlertRule> metricAlertRules,
        ChurnPolicy churn,
        CohortSpec cohorts,
        ModelFitting modelFitting,
        DeltaCombining combining) {

    public static final List<WindowSpec> DEFAULT_WINDOWS =
            List.of(WindowSpec.parse("P1D/P1D"), WindowSpec.parse("P7D/P1D"), WindowSpec.parse("P30D/P1D"));
    public static final Duration DEFAULT_GRACE = Duration.ofHours(6);
    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(90);
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofHours(1);

    public TopologyConfig {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(churn, "churn");
        Objects.requireNonNull(cohorts, "cohorts");
        modelFitting = modelFitting == null ? ModelFitting.off() : modelFitting;
        combining = combining == null ? DeltaCombining.PER_RECORD : combining;
        windows = List.copyOf(windows);
        dimensions = List.copyOf(dimensions);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one window spec is required");
        }
        if (sourcePartitions < 1 || segmentPartitions < 1) {
            throw new IllegalArgumentException("partition counts must be at least 1");
        }
        if (maxFuture == null) {
            maxFuture = DEFAULT_MAX_FUTURE;
        }
        if (clock == null) {
            clock = Clock.systemUTC();
        }
        confidence = confidence == null ? ConfidenceLevel.defaults() : confidence;
        metricAlertRules = metricAlertRules == null ? List.of() : List.copyOf(metricAlertRules);
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
    public record Topics(List<String> inputs, String metricUpdates, String alerts, String lateEvents, String deadLetters,
                         String metricAlerts, String cohorts, String model) {
        public static final List<String> DEFAULT_INPUTS =
                List.of("customer-signups", "customer-purchases", "customer-cancellations", "customer-surveys");
        /** The compacted topic of the customer tasks' model fits (key {@code segment|partition}). */
        public static final String DEFAULT_MODEL = "retention-model";

        /** The compacted topic of the cohort cells (key {@code period|segment|cohort_start|k}). */
        public static final String DEFAULT_COHORTS = "retention-cohorts";

        public Topics {
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("at least one input topic is required");
            }
        }

        public static Topics defaults() {
            return new Topics(DEFAULT_INPUTS, "retention-metric-updates", "churn-risk-alerts",
                    "retention-late-events", "retention-dead-letters", "retention-metric-alerts", DEFAULT_COHORTS, DEFAULT_MODEL);
        }

        public Topics withInputs(List<String> inputs) {
            return new Topics(inputs, metricUpdates, alerts, lateEvents, deadLetters, metricAlerts, cohorts, model);
        }

        /** All topic names with the given prefix, e.g. per replay run. */
        public Topics prefixed(String prefix) {
            return new Topics(inputs.stream().map(t -> prefix + t).toList(), prefix + metricUpdates, prefix + alerts,
                    prefix + lateEvents, prefix + deadLetters, prefix + metricAlerts, prefix + cohorts, prefix + model);
        }
    }

    public static TopologyConfig defaults() {
        return new TopologyConfig(Topics.defaults(), DEFAULT_WINDOWS, DEFAULT_GRACE, List.of(Dimension.values()), "EUR",
                1, 1, Duration.ofSeconds(1), null, WireFormat.AVRO, StoreKind.PERSISTENT, AlertPolicy.defaults(),
                DEFAULT_HISTORY_RETENTION, DEFAULT_MAX_FUTURE, Clock.systemUTC(), ConfidenceLevel.defaults(), List.of(),
                ChurnPolicy.DEFAULT, CohortSpec.DEFAULT, ModelFitting.off(), DeltaCombining.PER_RECORD);
    }

    public WindowSet windowSet() {
        return new WindowSet(windows, grace);
    }

    public TopologyConfig withTopics(Topics t) {
        return with(c -> c.topics = t);
    }

    /** Other windows and grace; the dedup horizon goes back to its default for them (longest window + grace). */
    public TopologyConfig withWindows(List<WindowSpec> w, Duration g) {
        return with(c -> {
            c.windows = w;
            c.grace = g;
            c.dedupHorizon = null;
        });
    }

    public TopologyConfig withDimensions(List<Dimension> d) {
        return with(c -> c.dimensions = d);
    }

    public TopologyConfig withReportingCurrency(String currency) {
        return with(c -> c.reportingCurrency = currency);
    }

    public TopologyConfig withPartitions(int source, int segment) {
        return with(c -> {
            c.sourcePartitions = source;
            c.segmentPartitions = segment;
        });
    }

    public TopologyConfig withUpdateInterval(Duration u) {
        return with(c -> c.updateInterval = u);
    }

    public TopologyConfig withDedupHorizon(Duration d) {
        return with(c -> c.dedupHorizon = d);
    }

    public TopologyConfig withOutputFormat(WireFormat f) {
        return with(c -> c.outputFormat = f);
    }

    public TopologyConfig withStores(StoreKind s) {
        return with(c -> c.stores = s);
    }

    public TopologyConfig withAlerts(AlertPolicy a) {
        return with(c -> c.alerts = a);
    }

    /** Events and ticks more than {@code max} ahead of {@code wallClock} are rejected ({@link FutureEventGuard}). */
    public TopologyConfig withFutureLimit(Duration max, Clock wallClock) {
        return with(c -> {
            c.maxFuture = max;
            c.clock = wallClock;
        });
    }

    /** The rule that rejects times from the future, read by the input deserializer. */
    public FutureEventGuard futureGuard() {
        return new FutureEventGuard(maxFuture, clock);
    }

    public TopologyConfig withConfidence(ConfidenceLevel level) {
        return with(c -> c.confidence = level);
    }

    public TopologyConfig withMetricAlertRules(List<MetricAlertRule> r) {
        return with(c -> c.metricAlertRules = r);
    }

    public TopologyConfig withChurn(ChurnPolicy policy) {
        return with(c -> c.churn = policy);
    }

    public TopologyConfig withCohorts(CohortSpec spec) {
        return with(c -> c.cohorts = spec);
    }

    public TopologyConfig withHistoryRetention(Duration h) {
        return with(c -> c.historyRetention = h);
    }

    public TopologyConfig withModelFitting(ModelFitting m) {
        return with(c -> c.modelFitting = m);
    }

    public TopologyConfig withCombining(DeltaCombining d) {
        return with(c -> c.combining = d);
    }

    /** A copy with {@code change} applied, validated by the canonical constructor like any other instance. */
    private TopologyConfig with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /**
     * Every component, mutable, for the {@code with} methods: a new setting adds one field here and one line in
     * each of the two methods below, instead of one argument to every {@code with} method.
     */
    private static final class Copy {
        Topics topics;
        List<WindowSpec> windows;
        Duration grace;
        List<Dimension> dimensions;
        String reportingCurrency;
        int sourcePartitions;
        int segmentPartitions;
        Duration updateInterval;
        Duration dedupHorizon;
        WireFormat outputFormat;
        StoreKind stores;
        AlertPolicy alerts;
        Duration historyRetention;
        Duration maxFuture;
        Clock clock;
        ConfidenceLevel confidence;
        List<MetricAlertRule> metricAlertRules;
        ChurnPolicy churn;
        CohortSpec cohorts;
        ModelFitting modelFitting;
        DeltaCombining combining;

        Copy(TopologyConfig config) {
            topics = config.topics;
            windows = config.windows;
            grace = config.grace;
            dimensions = config.dimensions;
            reportingCurrency = config.reportingCurrency;
            sourcePartitions = config.sourcePartitions;
            segmentPartitions = config.segmentPartitions;
            updateInterval = config.updateInterval;
            dedupHorizon = config.dedupHorizon;
            outputFormat = config.outputFormat;
            stores = config.stores;
            alerts = config.alerts;
            historyRetention = config.historyRetention;
            maxFuture = config.maxFuture;
            clock = config.clock;
            confidence = config.confidence;
            metricAlertRules = config.metricAlertRules;
            churn = config.churn;
            cohorts = config.cohorts;
            modelFitting = config.modelFitting;
            combining = config.combining;
        }

        TopologyConfig build() {
            return new TopologyConfig(topics, windows, grace, dimensions, reportingCurrency, sourcePartitions, segmentPartitions,
                    updateInterval, dedupHorizon, outputFormat, stores, alerts, historyRetention, maxFuture, clock,
                    confidence, metricAlertRules, churn, cohorts, modelFitting, combining);
        }
    }
}
