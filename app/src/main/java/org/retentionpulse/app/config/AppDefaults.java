package org.retentionpulse.app.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Built-in defaults of every setting, with the keys documented in README.md's configuration table. */
public final class AppDefaults {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String APPLICATION_ID = "application.id";
    public static final String STATE_DIR = "state.dir";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    /** Kafka Streams' commit interval: how often a task catching up on a backlog commits (live tasks ask sooner). */
    public static final String COMMIT_INTERVAL = "commit.interval";
    public static final String WINDOWS = "windows";
    public static final String GRACE = "grace";
    /** How long an event id is remembered for duplicate detection; empty = longest window + grace. */
    public static final String DEDUP_HORIZON = "dedup.horizon";
    public static final String DIMENSIONS = "dimensions";
    public static final String REPORTING_CURRENCY = "reporting.currency";
    public static final String UPDATE_INTERVAL = "update.interval";
    public static final String OUTPUT_FORMAT = "output.format";
    public static final String TOPICS_INPUTS = "topics.inputs";
    public static final String TOPICS_METRIC_UPDATES = "topics.metric-updates";
    public static final String TOPICS_ALERTS = "topics.alerts";
    public static final String TOPICS_LATE_EVENTS = "topics.late-events";
    public static final String TOPICS_DEAD_LETTERS = "topics.dead-letters";
    public static final String TOPICS_CREATE = "topics.create";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication-factor";
    public static final String SEGMENT_PARTITIONS = "segment.partitions";
    /** How long a customer task sums its records' segment changes before sending them; PT0S: each record's at once. */
    public static final String SEGMENT_COMBINE_INTERVAL = "segment.combine.interval";
    public static final String SEGMENT_COMBINE_MAX_EVENTS = "segment.combine.max-events";
    public static final String STREAM_THREADS = "stream.threads";
    public static final String TOPICS_INPUT_TIMESTAMP_TYPE = "topics.input-timestamp-type";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_BIND = "http.bind";
    public static final String HTTP_TOKEN = "http.token";
    public static final String HTTP_ADVERTISED_HOST = "http.advertised-host";
    public static final String METRICS_SEGMENT_CAP = "metrics.segment-cap";
    public static final String API_HISTORY = "api.history";
    public static final String TICKS_INTERVAL = "ticks.interval";
    public static final String TICKS_LAG = "ticks.lag";
    /** Events and ticks more than this ahead of the wall clock are rejected as {@code event_time_in_future}. */
    public static final String INPUT_MAX_FUTURE = "input.max-future";
    public static final String CHURN_INACTIVITY = "churn.inactivity";
    public static final String CHURN_REASONS_CAP = "churn.reasons.cap";
    public static final String COHORTS_PERIOD = "cohorts.period";
    public static final String COHORTS_PERIODS = "cohorts.periods";
    public static final String ALERTS_INACTIVITY_MULTIPLIER = "alerts.inactivity.multiplier";
    public static final String ALERTS_INACTIVITY_FLOOR = "alerts.inactivity.floor";
    public static final String ALERTS_DEFAULT_GAP = "alerts.default-gap";
    public static final String ALERTS_FREQUENCY_PERIOD = "alerts.frequency.period";
    public static final String ALERTS_FREQUENCY_DROP_RATIO = "alerts.frequency.drop-ratio";
    public static final String ALERTS_FREQUENCY_MIN_PREVIOUS = "alerts.frequency.min-previous";
    public static final String ALERTS_SURVEY_RELEVANCE = "alerts.survey-relevance";
    public static final String ALERTS_LOW_CSAT_MAX = "alerts.low-csat.max-score";
    public static final String ALERTS_HIGH_EFFORT_MAX = "alerts.high-effort.max-score";
    public static final String ALERTS_WEIGHTS = "alerts.weights";
    public static final String ALERTS_THRESHOLD_MEDIUM = "alerts.threshold.medium";
    public static final String ALERTS_THRESHOLD_HIGH = "alerts.threshold.high";
    public static final String ALERTS_PROFILE_RETENTION = "alerts.profile-retention";
    /** Level of the rates' confidence intervals (docs/METRICS.md section 10). */
    public static final String CONFIDENCE = "confidence";
    /** File of metric alert rules (docs/ALERT-RULES.md); empty = no metric alerts. */
    public static final String ALERTS_RULES = "alerts.rules";
    public static final String TOPICS_METRIC_ALERTS = "topics.metric-alerts";
    public static final String TOPICS_COHORTS = "topics.cohorts";
    public static final String MODEL_HORIZON = "model.horizon";
    public static final String MODEL_P_ALIVE_THRESHOLD = "model.p-alive-threshold";
    public static final String MODEL_P_ALIVE_WEIGHT = "model.p-alive-weight";
    public static final String MODEL_FIT_SAMPLE_SIZE = "model.fit.sample-size";
    /** Event-time schedule of the in-stream model fit; PT0S: no model in the stream (rules only). */
    public static final String MODEL_FIT_INTERVAL = "model.fit.interval";
    /** A configured dimension whose values get model fits of their own, or none (the overall fit alone). */
    public static final String MODEL_FIT_SEGMENT_DIMENSION = "model.fit.segment-dimension";
    /** Sampled repeat buyers a segment value needs for a fit of its own (else its customers get the overall fit). */
    public static final String MODEL_FIT_SEGMENT_MIN_CUSTOMERS = "model.fit.segment-min-customers";
    public static final String TOPICS_MODEL = "topics.model";

    private AppDefaults() {
    }

    static Map<String, String> values() {
        Map<String, String> d = new LinkedHashMap<>();
        pipeline(d);
        topicsAndPartitions(d);
        httpAndTicks(d);
        inputAndChurnPolicy(d);
        alerts(d);
        confidenceRulesAndModel(d);
        return d;
    }

    private static void pipeline(Map<String, String> d) {
        d.put(APPLICATION_ID, "retention-pulse");
        // Not under the OS temp directory, which the OS may clear (Kafka Streams warns about it): a restart then restores
        // from the changelogs instead of resuming from its checkpoints.
        d.put(STATE_DIR, System.getProperty("user.home") + "/.retention-pulse/state");
        d.put(PROCESSING_GUARANTEE, "exactly_once_v2");
        // The longest time between exactly-once commits. A live customer task asks for a commit at every combine flush
        // (100 ms) and the segment and cohort stages after every update they publish, so live latency is that of a
        // 100 ms interval; a task catching up commits once a second: at 100 ms a backfill's stream thread spent 14-18 %
        // of its time committing (BENCHMARKS.md, session 14).
        d.put(COMMIT_INTERVAL, "PT1S");
        d.put(WINDOWS, "P1D/P1D,P7D/P1D,P30D/P1D");
        d.put(GRACE, "PT6H");
        d.put(DEDUP_HORIZON, "");
        d.put(DIMENSIONS, "plan,country,channel");
        d.put(REPORTING_CURRENCY, "EUR");
        // An update's latency is at least this interval plus the customer stage, its source being the earliest input it
        // folds in: PT0.5S halved the update p50 of PT1S (1.2 s to 0.7 s) at no measured backfill cost (BENCHMARKS.md, session 12).
        d.put(UPDATE_INTERVAL, "PT0.5S");
    }

    private static void topicsAndPartitions(Map<String, String> d) {
        d.put(OUTPUT_FORMAT, "avro");
        d.put(TOPICS_INPUTS, "customer-signups,customer-purchases,customer-cancellations,customer-surveys");
        d.put(TOPICS_METRIC_UPDATES, "retention-metric-updates");
        d.put(TOPICS_ALERTS, "churn-risk-alerts");
        d.put(TOPICS_LATE_EVENTS, "retention-late-events");
        d.put(TOPICS_DEAD_LETTERS, "retention-dead-letters");
        d.put(TOPICS_CREATE, "true");
        d.put(TOPICS_PARTITIONS, "3");
        d.put(TOPICS_REPLICATION_FACTOR, "1");
        d.put(SEGMENT_PARTITIONS, "1");
        // Combining: org.retentionpulse.topology.combine.DeltaCombiner. A live task asks for a commit at every flush: one
        // flush per exactly-once commit, so an update waits at most one more commit (100 ms) for it.
        d.put(SEGMENT_COMBINE_INTERVAL, "PT0.1S");
        d.put(SEGMENT_COMBINE_MAX_EVENTS, "10000");
        d.put(STREAM_THREADS, "1");
        d.put(TOPICS_INPUT_TIMESTAMP_TYPE, "CreateTime");
    }

    private static void httpAndTicks(Map<String, String> d) {
        d.put(HTTP_PORT, "8080");
        d.put(HTTP_BIND, "127.0.0.1");
        d.put(HTTP_TOKEN, "");            // empty: the API is open (bind to localhost, the default)
        d.put(HTTP_ADVERTISED_HOST, "");  // empty: the bind address, or this host's name when binding to all interfaces
        d.put(METRICS_SEGMENT_CAP, "20");
        d.put(API_HISTORY, "P90D");
        d.put(TICKS_INTERVAL, "PT0S");
        d.put(TICKS_LAG, "PT0S");
    }

    private static void inputAndChurnPolicy(Map<String, String> d) {
        d.put(INPUT_MAX_FUTURE, "PT1H");
        // Contract sections 7-9: org.retentionpulse.topology.policy.ChurnPolicy, org.retentionpulse.topology.time.CohortSpec.
        d.put(CHURN_INACTIVITY, "none");
        d.put(CHURN_REASONS_CAP, "20");
        d.put(COHORTS_PERIOD, "P1W");
        d.put(COHORTS_PERIODS, "12");
    }

    private static void alerts(Map<String, String> d) {
        // Churn-risk defaults and their reasoning: org.retentionpulse.topology.alerts.AlertPolicy.
        d.put(ALERTS_INACTIVITY_MULTIPLIER, "3.0");
        d.put(ALERTS_INACTIVITY_FLOOR, "P14D");
        d.put(ALERTS_DEFAULT_GAP, "P30D");
        d.put(ALERTS_FREQUENCY_PERIOD, "P30D");
        d.put(ALERTS_FREQUENCY_DROP_RATIO, "0.5");
        d.put(ALERTS_FREQUENCY_MIN_PREVIOUS, "3");
        d.put(ALERTS_SURVEY_RELEVANCE, "P90D");
        d.put(ALERTS_LOW_CSAT_MAX, "2");
        d.put(ALERTS_HIGH_EFFORT_MAX, "2");
        d.put(ALERTS_WEIGHTS, "INACTIVE=0.8,DETRACTOR=0.4,LOW_CSAT=0.4,HIGH_EFFORT=0.2,FREQUENCY_DROP=0.4");
        d.put(ALERTS_THRESHOLD_MEDIUM, "0.4");
        d.put(ALERTS_THRESHOLD_HIGH, "0.7");
        d.put(ALERTS_PROFILE_RETENTION, "P180D");
    }

    private static void confidenceRulesAndModel(Map<String, String> d) {
        d.put(CONFIDENCE, "0.95");
        d.put(ALERTS_RULES, "");
        d.put(TOPICS_METRIC_ALERTS, "retention-metric-alerts");
        d.put(TOPICS_COHORTS, "retention-cohorts");
        // Customer-lifetime model defaults and their reasoning: org.retentionpulse.topology.model.ModelPolicy.
        d.put(MODEL_HORIZON, "P90D");
        d.put(MODEL_P_ALIVE_THRESHOLD, "0.1");
        d.put(MODEL_P_ALIVE_WEIGHT, "0.1");
        d.put(MODEL_FIT_SAMPLE_SIZE, "10000");
        d.put(MODEL_FIT_INTERVAL, "P1D");
        d.put(MODEL_FIT_SEGMENT_DIMENSION, "none");
        d.put(MODEL_FIT_SEGMENT_MIN_CUSTOMERS, "500");
        d.put(TOPICS_MODEL, "retention-model");
    }
}
