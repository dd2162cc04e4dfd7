package org.retentionpulse.app.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.retentionpulse.reference.CohortCell;
import org.retentionpulse.reference.CohortKey;
import org.retentionpulse.reference.FinalValueComparison;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.schemas.serde.ChurnRiskAlertSerde;
import org.retentionpulse.schemas.serde.CohortCellSerde;
import org.retentionpulse.schemas.serde.ModelFitSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.topology.TopologyConfig;

/**
 * What a pipeline run published, read with {@code isolation.level=read_committed}: every final metric record
 * (without {@code computed_at}, which is wall clock), every churn-risk alert (without {@code detected_at}), and
 * the dead-letter and late-event records, and the latest customer-lifetime model fit of each customer task (without
 * {@code fit_micros}), and every final cohort cell.
 * Reading fails if a window or a cohort cell has two finals or an alert id repeats, so
 * every comparison also checks "nothing counted twice".
 *
 * @param finals      canonical JSON of each final, keyed {@code window|window_start|segment|metric}
 * @param values      the same finals as reference-model keys and values
 * @param alerts      canonical JSON of each alert, sorted
 * @param deadLetters the dead-letter records
 * @param lateEvents  the late-event records
 * @param models      canonical JSON of the latest model fit per key ({@code segment|partition}), in key order
 * @param cohorts     the final cohort cells' counts and revenue, as reference-model keys and cells
 */
record PipelineOutputs(SortedMap<String, String> finals, SortedMap<MetricKey, BigDecimal> values, List<String> alerts,
                       List<ConsumerRecord<byte[], byte[]>> deadLetters, List<ConsumerRecord<byte[], byte[]>> lateEvents,
                       List<String> models, SortedMap<CohortKey, CohortCell> cohorts) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static PipelineOutputs read(Properties client, TopologyConfig.Topics topics) {
        MetricUpdateSerde metrics = new MetricUpdateSerde();
        ChurnRiskAlertSerde alertSerde = new ChurnRiskAlertSerde();
        SortedMap<String, String> finals = new TreeMap<>();
        SortedMap<MetricKey, BigDecimal> values = new TreeMap<>();
        List<String> twice = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, topics.metricUpdates())) {
            MetricUpdate u = metrics.decode(r.value());
            if (u.getFinal$()) {
                String key = u.getWindow() + '|' + u.getWindowStart() + '|' + u.getSegment() + '|' + u.getMetric()
                        + (u.getReason() == null ? "" : '|' + u.getReason());
                if (finals.put(key, without(CanonicalJson.formatMetricUpdate(u), "computed_at")) != null) {
                    twice.add(key);
                }
                values.put(new MetricKey(u.getMetric(), u.getWindow(), u.getSegment(), u.getWindowStart(), u.getReason()),
                        u.getValue());
            }
        }
        assertEquals(List.of(), twice, "windows with more than one final record");
        List<String> alerts = new ArrayList<>();
        Set<String> alertIds = new HashSet<>();
        List<String> repeatedIds = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, topics.alerts())) {
            ChurnRiskAlert alert = alertSerde.decode(r.value());
            if (!alertIds.add(alert.getAlertId())) {
                repeatedIds.add(alert.getAlertId());
            }
            alerts.add(without(CanonicalJson.formatAlert(alert), "detected_at"));
        }
        assertEquals(List.of(), repeatedIds, "alert ids published more than once");
        alerts.sort(Comparator.naturalOrder());
        // The model topic is compacted and its record timestamps are event time, so segments roll by event time and
        // the log cleaner may already have dropped superseded fits: what it guarantees is the latest fit per key.
        ModelFitSerde modelSerde = new ModelFitSerde(WireFormat.AVRO);
        SortedMap<String, String> latestFits = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, topics.model())) {
            latestFits.put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8),
                    without(CanonicalJson.formatModelFit(modelSerde.decode(r.value())), "fit_micros"));
        }
        List<String> models = List.copyOf(latestFits.values());
        return new PipelineOutputs(finals, values, List.copyOf(alerts), readAll(client, topics.deadLetters()),
                readAll(client, topics.lateEvents()), List.copyOf(models), finalCohortCells(client, topics.cohorts()));
    }

    private static SortedMap<CohortKey, CohortCell> finalCohortCells(Properties client, String topic) {
        CohortCellSerde serde = new CohortCellSerde();
        SortedMap<CohortKey, CohortCell> cells = new TreeMap<>();
        List<CohortKey> twice = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, topic)) {
            org.retentionpulse.schemas.CohortCell c = serde.decode(r.value());
            if (c.getFinal$()) {
                CohortKey key = new CohortKey(c.getCohortPeriod(), c.getSegment(), c.getCohortStart(), c.getPeriod());
                if (cells.put(key, new CohortCell(c.getCustomers(), c.getRetained(), c.getActive(), c.getRevenue())) != null) {
                    twice.add(key);
                }
            }
        }
        assertEquals(List.of(), twice, "cohort cells with more than one final record");
        return cells;
    }

    /** The one comparison of two runs: the same finals and the same alerts, field for field. */
    static void assertSameResults(PipelineOutputs expected, PipelineOutputs actual) {
        assertTrue(!expected.finals.isEmpty(), "the expected run published finals");
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.finals.entrySet()) {
            String a = actual.finals.get(e.getKey());
            if (!e.getValue().equals(a)) {
                diffs.add("expected " + e.getValue() + "\n     got " + a);
            }
        }
        for (String key : actual.finals.keySet()) {
            if (!expected.finals.containsKey(key)) {
                diffs.add("unexpected final " + actual.finals.get(key));
            }
        }
        assertTrue(diffs.isEmpty(), () -> diffs.size() + " of " + expected.finals.size() + " finals differ, first:\n"
                + String.join("\n", diffs.subList(0, Math.min(10, diffs.size()))));
        assertEquals(expected.alerts, actual.alerts, "alerts (detected_at excluded)");
        assertEquals(expected.models, actual.models, "latest model fit of each task (fit_micros excluded)");
    }

    /** The finals against the spec's reference model, value for value. */
    void assertMatchesReference(SortedMap<MetricKey, BigDecimal> reference) {
        List<String> differences = FinalValueComparison.differences(reference, values);
        assertTrue(differences.isEmpty(), () -> differences.size() + " differences from the reference model, first:\n"
                + String.join("\n", differences.subList(0, Math.min(10, differences.size()))));
    }

    /** The final cohort cells against the reference model's: the same cells, counts and revenue. */
    void assertCohortsMatchReference(SortedMap<CohortKey, CohortCell> reference) {
        assertTrue(!reference.isEmpty(), "the reference has cohort cells");
        List<String> differences = new ArrayList<>();
        Set<CohortKey> keys = new java.util.TreeSet<>(reference.keySet());
        keys.addAll(cohorts.keySet());
        for (CohortKey key : keys) {
            CohortCell want = reference.get(key);
            CohortCell got = cohorts.get(key);
            if (want == null || got == null || !want.sameAs(got)) {
                differences.add(key + ": expected " + want + " but was " + got);
            }
        }
        assertTrue(differences.isEmpty(), () -> differences.size() + " of " + reference.size()
                + " cohort cells differ from the reference model, first:\n"
                + String.join("\n", differences.subList(0, Math.min(10, differences.size()))));
    }

    private static String without(String json, String field) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            node.remove(field);
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every committed record of a topic, from the beginning to its current end. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(Properties client, String topic) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed the end offsets are the last stable offsets: everything committed so far.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within a minute");
                }
            }
        }
        return out;
    }
}
