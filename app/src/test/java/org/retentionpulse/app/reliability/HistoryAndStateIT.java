package org.retentionpulse.app.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.RetentionPulse;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.tools.generator.FaultRates;
import org.retentionpulse.tools.generator.TopicNames;

/**
 * History and state on a broker configured like a production one (7-day time retention, checked every half
 * second): topics {@code generate} and {@code run} create keep records stamped with last year's event time; records
 * deleted before the pipeline read them are warned about and counted; and a changed {@code windows} list on the same
 * application id is refused until {@code reset} deletes the state, after which the new settings' results come out.
 */
class HistoryAndStateIT {
    private static EmbeddedKafkaBroker broker;
    private static Map<String, String> client;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = ReliabilityBroker.builder()
                .brokerProperty("log.retention.ms", Long.toString(Duration.ofDays(7).toMillis()))
                .brokerProperty("log.retention.check.interval.ms", "500")
                .start();
        client = Map.of(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void generateCreatesItsTopicsWithoutTimeRetentionSoEventTimeTimestampsSurvive() throws Exception {
        int exit = RetentionPulse.commandLine().execute("generate", "--bootstrap-servers", broker.bootstrapServers(),
                "--events", "300", "--customers", "200", "--days", "60");
        assertEquals(0, exit, "generate against a broker without the topics");
        // The same kind of records in a topic with the broker's 7-day retention: gone at the next retention check.
        admin.createTopics(List.of(new NewTopic("control-7-days", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            long lastYear = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("control-7-days", 0, lastYear + i, null, new byte[] {1})).get(30, TimeUnit.SECONDS);
            }
        }
        Await.until(Duration.ofSeconds(60), "retention to delete the control topic's records", () ->
                offsets(List.of("control-7-days"), OffsetSpec.earliest()).values().stream().mapToLong(Long::longValue).sum() == 100);

        List<String> generated = List.copyOf(TopicNames.DEFAULTS.distinct());
        assertEquals(300, offsets(generated, OffsetSpec.latest()).values().stream().mapToLong(Long::longValue).sum());
        assertEquals(0, offsets(generated, OffsetSpec.earliest()).values().stream().mapToLong(Long::longValue).sum(),
                "nothing deleted from the generated topics");
        for (String topic : generated) {
            assertEquals("-1", config(topic).get(TopicConfig.RETENTION_MS_CONFIG).value(), topic);
        }
    }

    @Test
    void runWarnsAndCountsInputRecordsDeletedBeforeTheyWereProcessed(@TempDir Path dir) throws Exception {
        EventStream stream = EventStream.generated(61, 100, 20, 400, FaultRates.NONE);
        int half = stream.size() / 2;
        assertTrue(half > 100, "records: " + stream.size());
        try (PipelineRun run = new PipelineRun("deleted-history", client, 1).createTopics()) {
            TopicPartition input = new TopicPartition(run.inputTopic(), 0);
            assertEquals("-1", config(run.inputTopic()).get(TopicConfig.RETENTION_MS_CONFIG).value());
            assertEquals("LogAppendTime", config(run.topology().topics().deadLetters())
                    .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value());
            stream.produce(run.client(), run.inputTopic(), 0, half);
            admin.deleteRecords(Map.of(input, RecordsToDelete.beforeOffset(50))).all().get(30, TimeUnit.SECONDS);

            try (StartedPipeline pipeline = run.start(dir.resolve("state"))) {
                assertEquals(50, pipeline.deletedHistory().deletedUnprocessed(), "never committed: offsets 0-49 were never read");
                Await.until(Duration.ofMinutes(2), "the first half committed", () -> run.committedInput() == half);
            }
            stream.produce(run.client(), run.inputTopic(), half, stream.size());
            admin.deleteRecords(Map.of(input, RecordsToDelete.beforeOffset(half + 60))).all().get(30, TimeUnit.SECONDS);

            try (StartedPipeline pipeline = run.startServed(dir.resolve("state"))) {
                assertEquals(60, pipeline.deletedHistory().deletedUnprocessed(), "log start 60 past the committed position");
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(pipeline.served().url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("retention_pulse_deleted_before_processing_total 60.0"), metrics.lines()
                        .filter(l -> l.contains("deleted")).toList().toString());
                assertEquals(0, pipeline.deletedHistory().check(), "a gap is counted once");
            }
        }
    }

    @Test
    void aChangedWindowsListIsRefusedUntilResetThenTheNewSettingsResultsComeOut(@TempDir Path dir) {
        EventStream stream = EventStream.generated(67, 200, 40, 1_000, FaultRates.NONE);
        Path state = dir.resolve("state");
        String newWindows = "P1D/P1D,P2D/P1D";
        try (PipelineRun first = new PipelineRun("built-for", client, 2).createTopics();
             PipelineRun changed = new PipelineRun("built-for", client, 2).with(AppDefaults.WINDOWS, newWindows)
                     .with(AppDefaults.TOPICS_METRIC_UPDATES, "built-for.metrics-2").with(AppDefaults.TOPICS_ALERTS, "built-for.alerts-2")
                     .with(AppDefaults.TOPICS_COHORTS, "built-for.cohorts-2")) {
            stream.produceAll(first.client(), first.inputTopic());
            stream.endInput(first.client(), first.inputTopic());
            try (StartedPipeline pipeline = first.start(state)) {
                first.awaitConsumed(Duration.ofMinutes(2));
            }

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> changed.start(state));
            assertTrue(refused.getMessage().contains("windows was P1D/P1D,P7D/P1D,P30D/P1D and is now P1D/P1D,P2D/P1D"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("`retention-pulse reset --application-id rp-built-for`"), refused.getMessage());

            int exit = RetentionPulse.commandLine().execute("reset", "--application-id", "rp-built-for",
                    "--bootstrap-servers", broker.bootstrapServers(), "--state-dir", state.toString(), "--yes");
            assertEquals(0, exit);
            assertFalse(Files.exists(state.resolve("rp-built-for")), "local state deleted");
            assertEquals(List.of(), internalTopics("rp-built-for"), "changelogs, repartition topics and built-for record deleted");
            assertEquals(Map.of(), offsetsCommitted("rp-built-for"), "committed offsets deleted");

            try (StartedPipeline pipeline = changed.start(state)) {
                changed.awaitConsumed(Duration.ofMinutes(2));
            }
            ReferenceModel reference = stream.reference(newWindows, ReferenceModel.DEFAULT_DIMENSIONS);
            PipelineOutputs outputs = changed.outputs();
            assertTrue(outputs.values().keySet().stream().anyMatch(k -> k.window().equals("P2D/P1D")), "finals of the new window");
            outputs.assertMatchesReference(reference.finals());
            System.out.printf("HistoryAndStateIT: after reset, %d finals for windows %s equal the reference model%n",
                    outputs.finals().size(), newWindows);
        }
    }

    @Test
    void stateOfAnEarlierReleaseWithoutABuiltForRecordIsRefusedUntilReset(@TempDir Path dir) throws Exception {
        try (PipelineRun run = new PipelineRun("earlier-release", client, 1).createTopics()) {
            // What a release before the built-for record leaves behind: a changelog of the application id, no record.
            admin.createTopics(List.of(new NewTopic("rp-earlier-release-segment-aggregates-changelog", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> run.start(dir.resolve("state")));
            assertTrue(refused.getMessage().contains("has state from an earlier release")
                    && refused.getMessage().contains("rp-earlier-release-segment-aggregates-changelog")
                    && refused.getMessage().contains("`retention-pulse reset --application-id rp-earlier-release`"), refused.getMessage());

            assertEquals(0, RetentionPulse.commandLine().execute("reset", "--application-id", "rp-earlier-release",
                    "--bootstrap-servers", broker.bootstrapServers(), "--state-dir", dir.resolve("state").toString(), "--yes"));
            try (StartedPipeline pipeline = run.start(dir.resolve("state"))) {
                assertTrue(internalTopics("rp-earlier-release").contains("rp-earlier-release-built-for"), "recorded after the reset");
            }
        }
    }

    private static List<String> internalTopics(String applicationId) {
        try {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(t -> t.startsWith(applicationId + "-")).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<TopicPartition, ?> offsetsCommitted(String group) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static Config config(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    }

    private static Map<TopicPartition, Long> offsets(List<String> topics, OffsetSpec spec) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) ->
                    d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), spec)));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
