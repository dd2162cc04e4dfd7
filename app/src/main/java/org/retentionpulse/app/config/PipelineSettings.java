package org.retentionpulse.app.config;

import java.time.Clock;
import java.time.Duration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.RetentionPulseTopology;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.combine.DeltaCombining;
import org.retentionpulse.topology.alerts.AlertPolicy;
import org.retentionpulse.topology.confidence.ConfidenceLevel;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.metricalerts.MetricAlertRule;
import org.retentionpulse.topology.metricalerts.MetricAlertRules;
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.ModelPolicy;
import org.retentionpulse.topology.modelfit.ModelFitting;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.CohortSpec;
import org.retentionpulse.topology.time.WindowSpec;

/** Turns {@link Settings} into the typed topology config and the Kafka client properties. */
public final class PipelineSettings {
    private final Settings settings;

    public PipelineSettings(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** The topology config; {@code sourcePartitions} must come from the actual input topics. */
    public TopologyConfig topology(int sourcePartitions) {
        TopologyConfig.Topics topics = new TopologyConfig.Topics(
                settings.getList(AppDefaults.TOPICS_INPUTS),
                settings.get(AppDefaults.TOPICS_METRIC_UPDATES),
                settings.get(AppDefaults.TOPICS_ALERTS),
                settings.get(AppDefaults.TOPICS_LATE_EVENTS),
                settings.get(AppDefaults.TOPICS_DEAD_LETTERS),
                settings.get(AppDefaults.TOPICS_METRIC_ALERTS),
                settings.get(AppDefaults.TOPICS_COHORTS),
                settings.get(AppDefaults.TOPICS_MODEL));
        List<WindowSpec> windows = settings.getList(AppDefaults.WINDOWS).stream().map(WindowSpec::parse).toList();
        List<Dimension> dimensions = settings.getList(AppDefaults.DIMENSIONS).stream().map(Dimension::parse).toList();
        TopologyConfig config = TopologyConfig.defaults()
                .withTopics(topics)
                .withWindows(windows, settings.getDuration(AppDefaults.GRACE))
                .withDimensions(dimensions)
                .withReportingCurrency(settings.get(AppDefaults.REPORTING_CURRENCY))
                .withPartitions(sourcePartitions, settings.getInt(AppDefaults.SEGMENT_PARTITIONS))
                .withUpdateInterval(settings.getDuration(AppDefaults.UPDATE_INTERVAL))
                .withOutputFormat(WireFormat.parse(settings.get(AppDefaults.OUTPUT_FORMAT)))
                .withHistoryRetention(settings.getDuration(AppDefaults.API_HISTORY))
                .withAlerts(alertPolicy())
                .withFutureLimit(maxFuture(), Clock.systemUTC())
                .withConfidence(confidence())
                .withMetricAlertRules(metricAlertRules(windows))
                .withChurn(churnPolicy())
                .withCohorts(cohortSpec())
                .withModelFitting(modelFitting())
                .withCombining(combining());
        // Unset: the topology's default, longest window + grace, so every window an event can count in is covered.
        String horizon = settings.get(AppDefaults.DEDUP_HORIZON, "");
        return horizon.isBlank() ? config : config.withDedupHorizon(settings.getDuration(AppDefaults.DEDUP_HORIZON));
    }

    /** How far ahead of the wall clock an event time may be ({@code input.max-future}, not negative). */
    public Duration maxFuture() {
        Duration max = settings.getDuration(AppDefaults.INPUT_MAX_FUTURE);
        if (max.isNegative()) {
            throw new IllegalArgumentException("setting '" + AppDefaults.INPUT_MAX_FUTURE + "' = '" + max + "' (from "
                    + settings.origin(AppDefaults.INPUT_MAX_FUTURE) + ") must not be negative");
        }
        return max;
    }

    /** {@code segment.combine.interval} (not negative) and {@code segment.combine.max-events} (1 to 1,000,000). */
    public DeltaCombining combining() {
        Duration interval = settings.parse(AppDefaults.SEGMENT_COMBINE_INTERVAL, PipelineSettings::notNegative,
                "PT0S or a positive ISO-8601 duration such as PT0.1S");
        int maxEvents = settings.parse(AppDefaults.SEGMENT_COMBINE_MAX_EVENTS, text -> {
            int value = Integer.parseInt(text.trim());
            if (value < 1 || value > DeltaCombining.MAX_EVENTS_LIMIT) {
                throw new IllegalArgumentException(value + " is outside 1 to " + DeltaCombining.MAX_EVENTS_LIMIT);
            }
            return value;
        }, "a whole number from 1 to " + DeltaCombining.MAX_EVENTS_LIMIT);
        return new DeltaCombining(interval, maxEvents);
    }

    private static Duration notNegative(String text) {
        Duration d = Duration.parse(text.trim());
        if (d.isNegative()) {
            throw new IllegalArgumentException(d + " is negative");
        }
        return d;
    }

    /** Contract sections 7-8: {@code churn.inactivity} and {@code churn.reasons.cap}. */
    public ChurnPolicy churnPolicy() {
        ChurnPolicy.Inactivity inactivity = settings.parse(AppDefaults.CHURN_INACTIVITY, ChurnPolicy.Inactivity::parse,
                "none or a positive ISO-8601 duration such as P90D");
        int cap = settings.parse(AppDefaults.CHURN_REASONS_CAP, PipelineSettings::atLeastOne, "a whole number, at least 1");
        return new ChurnPolicy(inactivity, cap);
    }

    /** Contract section 9: {@code cohorts.period} and {@code cohorts.periods}. */
    public CohortSpec cohortSpec() {
        CohortSpec.Period period = settings.parse(AppDefaults.COHORTS_PERIOD, CohortSpec.Period::parse, "P1D, P1W or P1M");
        int periods = settings.parse(AppDefaults.COHORTS_PERIODS, PipelineSettings::atLeastOne, "a whole number, at least 1");
        return new CohortSpec(period, periods);
    }

    private static int atLeastOne(String text) {
        int value = Integer.parseInt(text.trim());
        if (value < 1) {
            throw new IllegalArgumentException(value + " is below 1");
        }
        return value;
    }

    /** The churn-risk policy from the {@code alerts.*} settings. */
    public AlertPolicy alertPolicy() {
        Map<RiskSignal, Double> weights = new EnumMap<>(RiskSignal.class);
        for (String entry : settings.getList(AppDefaults.ALERTS_WEIGHTS)) {
            String[] kv = entry.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException(AppDefaults.ALERTS_WEIGHTS + ": expected SIGNAL=weight, got '" + entry + "'");
            }
            try {
                weights.put(RiskSignal.valueOf(kv[0].trim().toUpperCase(java.util.Locale.ROOT)), Double.parseDouble(kv[1].trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(AppDefaults.ALERTS_WEIGHTS + ": bad entry '" + entry + "' (signals: "
                        + java.util.Arrays.toString(RiskSignal.values()) + ")", e);
            }
        }
        return new AlertPolicy(
                settings.getDouble(AppDefaults.ALERTS_INACTIVITY_MULTIPLIER),
                settings.getDuration(AppDefaults.ALERTS_INACTIVITY_FLOOR),
                settings.getDuration(AppDefaults.ALERTS_DEFAULT_GAP),
                settings.getDuration(AppDefaults.ALERTS_FREQUENCY_PERIOD),
                settings.getDouble(AppDefaults.ALERTS_FREQUENCY_DROP_RATIO),
                settings.getInt(AppDefaults.ALERTS_FREQUENCY_MIN_PREVIOUS),
                settings.getDuration(AppDefaults.ALERTS_SURVEY_RELEVANCE),
                fivePointScore(AppDefaults.ALERTS_LOW_CSAT_MAX),
                fivePointScore(AppDefaults.ALERTS_HIGH_EFFORT_MAX),
                weights,
                settings.getDouble(AppDefaults.ALERTS_THRESHOLD_MEDIUM),
                settings.getDouble(AppDefaults.ALERTS_THRESHOLD_HIGH),
                settings.getDuration(AppDefaults.ALERTS_PROFILE_RETENTION));
    }

    /** A threshold on a 1..5 survey answer: 1..4 (5 would flag every answer). */
    private int fivePointScore(String key) {
        int score = settings.getInt(key);
        if (score < 1 || score > 4) {
            throw new IllegalArgumentException("setting '" + key + "' = " + score + ": expected a survey score from 1 to 4 "
                    + "(answers at or below it raise the signal; 5 would flag every answer)");
        }
        return score;
    }

    /** The {@code confidence} level of the published intervals. */
    public ConfidenceLevel confidence() {
        try {
            return new ConfidenceLevel(settings.getDouble(AppDefaults.CONFIDENCE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting '" + AppDefaults.CONFIDENCE + "': " + e.getMessage(), e);
        }
    }

    /** The rules of the {@code alerts.rules} file, checked against the configured windows; none when unset. */
    public List<MetricAlertRule> metricAlertRules(List<WindowSpec> windows) {
        String file = settings.get(AppDefaults.ALERTS_RULES, "");
        if (file.isBlank()) {
            return List.of();
        }
        try {
            return MetricAlertRules.parse(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8), file, windows);
        } catch (IOException e) {
            throw new IllegalArgumentException("setting '" + AppDefaults.ALERTS_RULES + "': cannot read " + file + ": " + e, e);
        }
    }

    /**
     * The customer-lifetime model's policy from the {@code model.*} settings. Each value is checked alone (the
     * others at their defaults), so an invalid one is reported with its key.
     */
    public ModelPolicy modelPolicy() {
        ModelPolicy d = ModelPolicy.defaults();
        Duration horizon = checked(AppDefaults.MODEL_HORIZON, () -> new ModelPolicy(
                settings.getDuration(AppDefaults.MODEL_HORIZON), d.pAliveThreshold(), d.pAliveWeight(), d.fitSampleSize())).horizon();
        double threshold = checked(AppDefaults.MODEL_P_ALIVE_THRESHOLD, () -> new ModelPolicy(d.horizon(),
                settings.getDouble(AppDefaults.MODEL_P_ALIVE_THRESHOLD), d.pAliveWeight(), d.fitSampleSize())).pAliveThreshold();
        double weight = checked(AppDefaults.MODEL_P_ALIVE_WEIGHT, () -> new ModelPolicy(d.horizon(), d.pAliveThreshold(),
                settings.getDouble(AppDefaults.MODEL_P_ALIVE_WEIGHT), d.fitSampleSize())).pAliveWeight();
        int sample = checked(AppDefaults.MODEL_FIT_SAMPLE_SIZE, () -> new ModelPolicy(d.horizon(), d.pAliveThreshold(),
                d.pAliveWeight(), settings.getInt(AppDefaults.MODEL_FIT_SAMPLE_SIZE))).fitSampleSize();
        return new ModelPolicy(horizon, threshold, weight, sample);
    }

    /** The in-stream model: the {@code model.*} policy and {@code model.fit.interval} (not negative; PT0S: off). */
    public ModelFitting modelFitting() {
        Duration interval = settings.getDuration(AppDefaults.MODEL_FIT_INTERVAL);
        if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 60_000)) {
            throw new IllegalArgumentException("setting '" + AppDefaults.MODEL_FIT_INTERVAL + "' = '" + interval + "' (from "
                    + settings.origin(AppDefaults.MODEL_FIT_INTERVAL) + ") must be PT0S (no model in the stream) or at least PT1M");
        }
        int minRepeatBuyers = settings.parse(AppDefaults.MODEL_FIT_SEGMENT_MIN_CUSTOMERS, PipelineSettings::segmentMinimum,
                "a whole number, at least " + BgNbd.MIN_REPEAT_BUYERS);
        return new ModelFitting(modelPolicy(), interval, modelSegmentDimension(), minRepeatBuyers);
    }

    /** {@code model.fit.segment-dimension}: {@code none}, or one of the configured {@code dimensions}. */
    public Optional<Dimension> modelSegmentDimension() {
        List<String> configured = settings.getList(AppDefaults.DIMENSIONS);
        return settings.parse(AppDefaults.MODEL_FIT_SEGMENT_DIMENSION, value -> {
            if (value.trim().equalsIgnoreCase("none")) {
                return Optional.<Dimension>empty();
            }
            Dimension d = Dimension.parse(value);
            if (configured.stream().noneMatch(c -> c.equalsIgnoreCase(d.key()))) {
                throw new IllegalArgumentException("'" + d.key() + "' is not in " + AppDefaults.DIMENSIONS + " " + configured);
            }
            return Optional.of(d);
        }, "none or one of the configured dimensions");
    }

    private static int segmentMinimum(String text) {
        int value = Integer.parseInt(text.trim());
        if (value < BgNbd.MIN_REPEAT_BUYERS) {
            throw new IllegalArgumentException(value + " is below " + BgNbd.MIN_REPEAT_BUYERS + ", what any fit needs");
        }
        return value;
    }

    private static ModelPolicy checked(String key, Supplier<ModelPolicy> policy) {
        try {
            return policy.get();
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("setting '") ? e
                    : new IllegalArgumentException("setting '" + key + "': " + e.getMessage(), e);
        }
    }

    /** Properties shared by every Kafka client: bootstrap servers and all {@code kafka.*} settings. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.get(AppDefaults.BOOTSTRAP_SERVERS));
        props.putAll(settings.withPrefix("kafka."));
        return props;
    }

    /** {@value AppDefaults#COMMIT_INTERVAL} in milliseconds: positive (zero would commit after every loop of the thread). */
    private long commitIntervalMs() {
        Duration interval = settings.getDuration(AppDefaults.COMMIT_INTERVAL);
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("setting '" + AppDefaults.COMMIT_INTERVAL + "': must be positive, got " + interval);
        }
        return interval.toMillis();
    }

    /** Kafka Streams properties: exactly-once by default, the topology's handlers, then {@code streams.*} overrides. */
    public Properties streamsProperties(TopologyConfig topology, Map<String, Object> extra) {
        Properties props = clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.get(AppDefaults.APPLICATION_ID));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.get(AppDefaults.PROCESSING_GUARANTEE));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.get(AppDefaults.STATE_DIR));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.getInt(AppDefaults.STREAM_THREADS));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.getInt(AppDefaults.TOPICS_REPLICATION_FACTOR));
        // No global stores here; enabling it is the Kafka 5.0 default and silences Kafka 4.4's start-up warning about it.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.putAll(RetentionPulseTopology.requiredStreamsProperties(topology));
        props.putAll(extra);
        props.putAll(settings.withPrefix("streams."));
        return props;
    }
}
