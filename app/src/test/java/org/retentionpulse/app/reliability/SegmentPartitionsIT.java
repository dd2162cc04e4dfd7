package org.retentionpulse.app.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.pipeline.Pipeline;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.tools.generator.FaultRates;
import org.retentionpulse.topology.RetentionPulseTopology;
import org.retentionpulse.topology.metrics.SegmentStageMetrics;
import org.retentionpulse.topology.serde.InputEventDeserializer;

/**
 * The segment stage on two partitions, fed by several customer partitions, on a real broker: segment changes reach
 * only the partition that owns the segment (plus {@code all}, which every partition keeps), watermarks reach every
 * partition, and the finals and final cohort cells still equal the reference model; and with a customer partition far ahead of another,
 * an event is counted exactly in the windows its own partition had not closed, so "late" and "counted" agree.
 */
class SegmentPartitionsIT {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = ReliabilityBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void eachSegmentTaskReadsItsSegmentsChangesAndEveryWatermarkAndTheFinalsEqualTheReference(@TempDir Path dir) throws Exception {
        EventStream stream = EventStream.generated(31, 300, 40, 4_000,
                FaultRates.NONE.withOutOfOrder(0.02, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY));
        try (PipelineRun run = new PipelineRun("segment-routing", Map.of(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers()), 3)
                .with(AppDefaults.SEGMENT_PARTITIONS, "2").with(AppDefaults.STREAM_THREADS, "2").createTopics()) {
            stream.produceAll(run.client(), run.inputTopic());
            stream.endInput(run.client(), run.inputTopic());
            Map<String, SegmentStageMetrics.TaskReads> reads;
            try (StartedPipeline started = run.start(dir.resolve("state"))) {
                Pipeline pipeline = started.pipeline();
                run.awaitConsumed(Duration.ofMinutes(2));
                reads = SegmentStageMetrics.readsByTask(pipeline.streams().metrics());
            }
            long written = repartitionRecords(run);
            System.out.printf("SegmentPartitionsIT: %d input records; segment tasks read %s; %d repartition records%n",
                    stream.size(), reads, written);
            assertEquals(List.of("1_0", "1_1"), List.copyOf(reads.keySet()), "two segment tasks: " + reads);
            long total = reads.values().stream().mapToLong(SegmentStageMetrics.TaskReads::records).sum();
            // End offsets also count the transaction markers of exactly-once, so the records are at most that many.
            assertTrue(total <= written && total > 0.9 * written, "each repartition record is read once, by the task of its partition: "
                    + total + " read, end offsets " + written);
            long changes0 = reads.get("1_0").segmentChanges();
            long changes1 = reads.get("1_1").segmentChanges();
            assertTrue(changes0 > 0 && changes1 > 0 && changes0 + changes1 < 2 * Math.max(changes0, changes1),
                    "segment changes are routed to their owner, not sent to both partitions: " + changes0 + " and " + changes1);
            assertEquals(reads.get("1_0").batches(), reads.get("1_1").batches(), "each input record is one batch per partition");
            assertTrue(reads.get("1_0").batches() <= stream.size() + 1, "at most a batch per input record: " + reads);
            assertEquals(reads.get("1_0").watermarks(), reads.get("1_1").watermarks(), "watermarks go to every partition");
            PipelineOutputs outputs = run.outputs();
            ReferenceModel reference = stream.reference();
            outputs.assertMatchesReference(reference.finals());
            // Cohort cells: each on the task that owns its segment, closed when every customer task's stream time passed it.
            outputs.assertCohortsMatchReference(reference.cohortCells());
            System.out.printf("SegmentPartitionsIT: %d final cohort cells equal the reference%n", outputs.cohorts().size());
        }
    }

    private static void assertRevenue(Map<MetricKey, BigDecimal> revenue, String window, String day, String expected) {
        BigDecimal actual = revenue.get(key(window, day));
        assertTrue(actual != null && actual.compareTo(new BigDecimal(expected)) == 0,
                () -> "revenue of " + window + " from " + day + ": expected " + expected + " but was " + actual);
    }

    private static MetricKey key(String window, String day) {
        return new MetricKey("revenue", window, "all", Instant.parse(day + "T00:00:00Z"));
    }

    private static long repartitionRecords(PipelineRun run) throws Exception {
        String topic = run.applicationId() + "-" + RetentionPulseTopology.SEGMENT_DELTAS + "-repartition";
        Map<TopicPartition, OffsetSpec> request = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        run.admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return run.admin().listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    private static KafkaProducer<byte[], byte[]> producer(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, PipelineRun run, int partition, String[] keyAndJson) throws Exception {
        producer.send(new ProducerRecord<>(run.inputTopic(), partition, keyAndJson[0].getBytes(StandardCharsets.UTF_8),
                keyAndJson[1].getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }

    private static void endOfInput(KafkaProducer<byte[], byte[]> producer, PipelineRun run, int partition, Instant at) throws Exception {
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(InputEventDeserializer.CONTROL_HEADER, InputEventDeserializer.END_OF_INPUT.getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(run.inputTopic(), partition, at.toEpochMilli(), null,
                InputEventDeserializer.tickValue(at.toEpochMilli()), headers)).get(30, TimeUnit.SECONDS);
    }

    private static String[] signup(String id, String customer, String at) {
        return new String[] {customer, "{\"type\":\"signup\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer
                + "\",\"occurred_at\":\"" + at + "\",\"plan\":\"pro\"}"};
    }

    private static String[] purchase(String id, String customer, String at, String amount) {
        return new String[] {customer, "{\"type\":\"purchase\",\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer
                + "\",\"occurred_at\":\"" + at + "\",\"order_id\":\"" + id + "\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\"}"};
    }
}
