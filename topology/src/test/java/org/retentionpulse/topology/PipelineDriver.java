package org.retentionpulse.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.ModelFit;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.ChurnRiskAlertSerde;
import org.retentionpulse.schemas.serde.CohortCellSerde;
import org.retentionpulse.schemas.serde.MetricAlertSerde;
import org.retentionpulse.schemas.serde.ModelFitSerde;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.topology.serde.InputEventDeserializer;

/**
 * Runs JSON Lines events through the real topology on a TopologyTestDriver, the way replay does on a
 * broker: records in arrival order on one input partition, then a tick far in the future closes every window.
 */
public final class PipelineDriver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TopologyConfig config;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> input;
    private final TestOutputTopic<String, MetricUpdate> updates;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestOutputTopic<String, byte[]> late;
    private final TestOutputTopic<String, ChurnRiskAlert> alerts;
    private final TestOutputTopic<String, MetricAlert> metricAlerts;
    private final TestOutputTopic<String, CohortCell> cohorts;
    private final List<CohortCell> cohortCells = new ArrayList<>();
    private final TestOutputTopic<String, ModelFit> models;
    private final List<MetricUpdate> seen = new ArrayList<>();
    private static final Instant WALL_CLOCK_START = Instant.parse("2024-01-01T00:00:00Z");
    private long wallClockAdvancedMs;

    PipelineDriver(TopologyConfig config) {
        this.config = config;
        Properties props = RetentionPulseTopology.requiredStreamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pipeline-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(RetentionPulseTopology.build(config), props, WALL_CLOCK_START);
        input = driver.createInputTopic(config.topics().inputs().get(0), new StringSerializer(), new ByteArraySerializer());
        updates = driver.createOutputTopic(config.topics().metricUpdates(), new StringDeserializer(),
                new MetricUpdateSerde(config.outputFormat()).deserializer());
        deadLetters = driver.createOutputTopic(config.topics().deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        alerts = driver.createOutputTopic(config.topics().alerts(), new StringDeserializer(),
                new ChurnRiskAlertSerde(config.outputFormat()).deserializer());
        metricAlerts = driver.createOutputTopic(config.topics().metricAlerts(), new StringDeserializer(),
                new MetricAlertSerde(config.outputFormat()).deserializer());
        models = driver.createOutputTopic(config.topics().model(), new StringDeserializer(),
                new ModelFitSerde(config.outputFormat()).deserializer());
        late = driver.createOutputTopic(config.topics().lateEvents(), new StringDeserializer(), new ByteArrayDeserializer());
        cohorts = driver.createOutputTopic(config.topics().cohorts(), new StringDeserializer(),
                new CohortCellSerde(config.outputFormat()).deserializer());
    }

    static TopologyConfig config(String... windows) {
        TopologyConfig defaults = TopologyConfig.defaults().withStores(TopologyConfig.StoreKind.IN_MEMORY)
                .withTopics(TopologyConfig.Topics.defaults().withInputs(List.of("events")))
                .withUpdateInterval(Duration.ZERO);
        if (windows.length == 0) {
            return defaults;
        }
        return defaults.withWindows(java.util.Arrays.stream(windows).map(org.retentionpulse.topology.time.WindowSpec::parse).toList(),
                TopologyConfig.DEFAULT_GRACE);
    }

    /** Sends one JSON line keyed by its customer_id (null key when the line is not JSON). */
    void send(String line) {
        String key = null;
        try {
            JsonNode node = JSON.readTree(line);
            if (node != null && node.hasNonNull("customer_id")) {
                key = node.get("customer_id").asText();
            }
        } catch (java.io.IOException notJson) {
            // still sent: the pipeline must reject it to the dead-letter topic
        }
        input.pipeInput(key, line.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one JSON line keyed by {@code key}, with the record timestamp {@code timestamp} (its append time, say). */
    void send(String key, String line, Instant timestamp) {
        input.pipeInput(new TestRecord<>(key, line.getBytes(StandardCharsets.UTF_8), timestamp));
    }

    /** The driver's wall clock. */
    Instant wallClock() {
        return WALL_CLOCK_START.plusMillis(wallClockAdvancedMs);
    }

    void sendAll(List<String> lines) {
        lines.forEach(this::send);
    }

    /** Advances this partition's stream time without an event. */
    void tick(Instant at) {
        control(InputEventDeserializer.TICK, at);
    }

    /** Closes every window: an end-of-input tick beyond the last possible window end plus grace. */
    void closeAllWindows() {
        control(InputEventDeserializer.END_OF_INPUT, Instant.parse("2100-01-01T00:00:00Z"));
    }

    private void control(String kind, Instant at) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(InputEventDeserializer.CONTROL_HEADER, kind.getBytes(StandardCharsets.UTF_8));
        input.pipeInput(new TestRecord<>(null, InputEventDeserializer.tickValue(at.toEpochMilli()), headers, at));
    }

    /** Alerts published so far (each returned once). */
    List<TestRecord<String, ChurnRiskAlert>> alerts() {
        return alerts.readRecordsToList();
    }

    /** Metric alerts published so far (each returned once). */
    List<TestRecord<String, MetricAlert>> metricAlerts() {
        return metricAlerts.readRecordsToList();
    }

    /** Model fits published so far (each returned once). */
    List<TestRecord<String, ModelFit>> models() {
        return models.readRecordsToList();
    }

    void advanceWallClock(Duration d) {
        wallClockAdvancedMs += d.toMillis();
        driver.advanceWallClockTime(d);
    }

    List<MetricUpdate> updates() {
        seen.addAll(updates.readValuesToList());
        return seen;
    }

    SortedMap<MetricKey, BigDecimal> finals() {
        SortedMap<MetricKey, BigDecimal> finals = new TreeMap<>();
        for (MetricUpdate u : updates()) {
            if (u.getFinal$()) {
                MetricKey key = key(u);
                if (finals.containsKey(key)) {
                    throw new AssertionError("two final records for " + key);
                }
                finals.put(key, u.getValue());
            }
        }
        return finals;
    }

    /** Every cohort cell record published so far, in order. */
    List<CohortCell> cohortCells() {
        cohortCells.addAll(cohorts.readValuesToList());
        return cohortCells;
    }

    /** The compaction key of an update, as the reference model names it (with the reason of churn_reason_share). */
    static MetricKey key(MetricUpdate u) {
        return new MetricKey(u.getMetric(), u.getWindow(), u.getSegment(), u.getWindowStart(), u.getReason());
    }

    /** The final values of the metrics of contract section 4 only (the twelve of the {@code edges} example). */
    SortedMap<MetricKey, BigDecimal> sectionFourFinals() {
        SortedMap<MetricKey, BigDecimal> finals = finals();
        finals.keySet().removeIf(k -> !SECTION_FOUR_METRICS.contains(k.metric()));
        return finals;
    }

    private static final java.util.Set<String> SECTION_FOUR_METRICS = java.util.Set.of("churn_rate", "retention_rate",
            "repeat_purchase_rate", "nps", "csat", "ces", "revenue", "aov", "purchase_frequency", "clv", "referral_share",
            "active_customers");

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    List<TestRecord<String, byte[]>> lateEvents() {
        return late.readRecordsToList();
    }

    TopologyConfig config() {
        return config;
    }

    /** A window store of the topology, to check what it keeps. */
    <K, V> org.apache.kafka.streams.state.KeyValueStore<K, V> keyValueStore(String name) {
        return driver.getKeyValueStore(name);
    }

    @Override
    public void close() {
        driver.close();
    }
}
