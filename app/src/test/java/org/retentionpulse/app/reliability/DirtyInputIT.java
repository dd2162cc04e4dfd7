package org.retentionpulse.app.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.replay.Replay;
import org.retentionpulse.app.replay.ReplayOptions;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.schemas.serde.RejectReason;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.tools.generator.FaultRates;
import org.retentionpulse.topology.customer.CustomerProcessor;
import org.retentionpulse.topology.customer.LateReason;
import org.retentionpulse.topology.errors.DeadLetterHandler;

/**
 * Dirty input on a real broker, four input partitions: every record delivered twice, and 1% poison, each give
 * exactly the finals and alerts of the clean stream; the dead-letter topic holds exactly the poison records,
 * byte for byte, with their origin; late events reach the late-events topic with their reason; and a replay of
 * a dirty file (duplicates and invalid lines) writes exactly the metrics and alerts of the clean file.
 */
class DirtyInputIT {
    private static final int PARTITIONS = 4;
    /** A purchase of a customer whose producer's clock says 2099 (issue 16). */
    private static final String FUTURE_PURCHASE = "{\"type\":\"purchase\",\"event_id\":\"bad-clock-1\",\"customer_id\":\"c-bad-clock\","
            + "\"occurred_at\":\"2099-01-01T00:00:00Z\",\"order_id\":\"o-bad-clock\",\"amount\":\"10.00\",\"currency\":\"EUR\"}";
    private static EmbeddedKafkaBroker broker;
    private static Map<String, String> client;
    private static EventStream clean;
    private static PipelineOutputs cleanOutputs;

    @BeforeAll
    static void startBrokerAndRunTheCleanStream(@TempDir Path dir) {
        broker = ReliabilityBroker.builder().start();
        client = Map.of(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        clean = EventStream.generated(31, 800, 40, 6_000,
                FaultRates.NONE.withOutOfOrder(0.02, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY));
        cleanOutputs = run("dirty-clean", clean, dir, PARTITIONS).outputs;
        cleanOutputs.assertMatchesReference(clean.reference().finals());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private record Result(PipelineRun run, PipelineOutputs outputs, Map<String, Long> rejections, long elapsedMs) {
    }

    private static Result run(String name, EventStream stream, Path dir, int partitions) {
        try (PipelineRun run = new PipelineRun(name, client, partitions).createTopics()) {
            stream.produceAll(run.client(), run.inputTopic());
            stream.endInput(run.client(), run.inputTopic());
            Map<String, Long> rejections;
            long started = System.nanoTime();
            try (StartedPipeline pipeline = run.start(dir.resolve(name + "-state"))) {
                run.awaitConsumed(Duration.ofMinutes(2));
                rejections = pipeline.pipeline().rejections();
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("DirtyInputIT: run %s, %d records, pipeline start to end of input %d ms%n", name, stream.size(), elapsedMs);
            return new Result(run, run.outputs(), rejections, elapsedMs);
        }
    }

    @Test
    void everyRecordDeliveredTwiceGivesTheResultsOfTheCleanStream(@TempDir Path dir) {
        EventStream twice = clean.duplicated();

        Result result = run("dirty-twice", twice, dir, PARTITIONS);

        assertEquals(2 * clean.size(), twice.size());
        PipelineOutputs.assertSameResults(cleanOutputs, result.outputs());
        assertEquals(List.of(), result.outputs().deadLetters(), "a duplicate is dropped, not rejected");
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicExactlyAndTheResultsAreThoseOfTheCleanStream(@TempDir Path dir) {
        EventStream poisoned = clean.withPoison(0.01, 5);
        List<InputRecord> poison = poisoned.poison();

        Result result = run("dirty-poison", poisoned, dir, PARTITIONS);

        assertTrue(poison.size() >= 0.008 * clean.size(), "about 1% poison: " + poison.size());
        PipelineOutputs.assertSameResults(cleanOutputs, result.outputs());
        List<ConsumerRecord<byte[], byte[]>> dead = result.outputs().deadLetters();
        assertEquals(sortedValues(poison.stream().map(InputRecord::value).toList()),
                sortedValues(dead.stream().map(ConsumerRecord::value).toList()), "dead letters = the poison records, bytes");
        Map<String, ConsumerRecord<byte[], byte[]>> inputs = readInput(result.run());
        Map<String, Long> byReason = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            assertEquals(result.run().inputTopic(), header(d, DeadLetterHandler.TOPIC_HEADER));
            ConsumerRecord<byte[], byte[]> source = inputs.get(header(d, DeadLetterHandler.PARTITION_HEADER) + "@"
                    + header(d, DeadLetterHandler.OFFSET_HEADER));
            assertNotNull(source, "the partition and offset headers point at an input record");
            assertArrayEquals(source.value(), d.value(), "the dead letter is its source record unchanged");
            assertArrayEquals(source.key(), d.key());
            assertEquals(String.valueOf(source.timestamp()), header(d, DeadLetterHandler.TIMESTAMP_HEADER));
            // The dead-letter topic is LogAppendTime (an event-time timestamp must not expire it); the header keeps the source's.
            assertTrue(d.timestamp() >= source.timestamp(), "appended after its source");
            String reason = header(d, DeadLetterHandler.REASON_HEADER);
            byReason.merge(reason, 1L, Long::sum);
            assertTrue(!header(d, DeadLetterHandler.MESSAGE_HEADER).isBlank());
        }
        assertEquals(byReason, result.rejections(), "rejections counted per reason, as the dead letters say");
        for (RejectReason expected : List.of(RejectReason.NOT_JSON, RejectReason.UNKNOWN_SCHEMA, RejectReason.MISSING_FIELD,
                RejectReason.SCORE_OUT_OF_RANGE, RejectReason.AMOUNT_SCALE, RejectReason.NEGATIVE_AMOUNT,
                RejectReason.MALFORMED_AMOUNT, RejectReason.BAD_TIMESTAMP, RejectReason.CURRENCY_MISMATCH,
                RejectReason.EMPTY_CUSTOMER_ID, RejectReason.UNKNOWN_SURVEY_TYPE)) {
            assertTrue(byReason.containsKey(expected.code()), "a poison record rejected as " + expected.code() + ": " + byReason);
        }
        System.out.printf("DirtyInputIT: %d poison records among %d, dead letters by reason %s%n", poison.size(),
                poisoned.size(), byReason);
    }

    @Test
    void aPurchaseFrom2099AmongThousandsChangesNoResultAndIsTheOnlyDeadLetter(@TempDir Path dir) {
        // Record timestamp = send time, as most producers write: only the event time is wrong.
        InputRecord fromTheFuture = new InputRecord("c-bad-clock".getBytes(StandardCharsets.UTF_8), utf8(FUTURE_PURCHASE), true);
        EventStream withBadClock = clean.with(clean.size() / 3, fromTheFuture);

        Result result = run("dirty-future", withBadClock, dir, PARTITIONS);

        PipelineOutputs.assertSameResults(cleanOutputs, result.outputs());
        List<ConsumerRecord<byte[], byte[]>> dead = result.outputs().deadLetters();
        assertEquals(1, dead.size(), "the dead-letter topic holds exactly the event from the future");
        assertArrayEquals(fromTheFuture.value(), dead.get(0).value());
        assertEquals(RejectReason.EVENT_TIME_IN_FUTURE.code(), header(dead.get(0), DeadLetterHandler.REASON_HEADER));
        assertEquals(Map.of(RejectReason.EVENT_TIME_IN_FUTURE.code(), 1L), result.rejections(), "counted under its own reason");
        System.out.printf("DirtyInputIT: one 2099 purchase among %d records: same %d finals, dead letters %s%n",
                withBadClock.size(), cleanOutputs.finals().size(), result.rejections());
    }

    @Test
    void aReplayWithAnEventFrom2099SucceedsWithTheResultsOfTheFileWithoutIt(@TempDir Path dir) throws Exception {
        EventStream cleanFile = EventStream.generated(47, 300, 40, 1_500, FaultRates.NONE);
        Path cleanLines = cleanFile.writeLines(dir.resolve("clean.jsonl"));
        List<String> lines = new ArrayList<>(Files.readAllLines(cleanLines));
        lines.add(lines.size() - 40, FUTURE_PURCHASE); // among the last records, in the batch of the end-of-input tick
        Path withBadClock = Files.write(dir.resolve("future.jsonl"), lines);

        List<List<String>> expected = replay(cleanLines, dir, "clean");
        Replay.Result[] result = new Replay.Result[1];
        List<List<String>> actual = replay(withBadClock, dir, "future", result);

        assertEquals(expected.get(0), actual.get(0), "final metrics, computed_at excluded");
        assertEquals(expected.get(1), actual.get(1), "alerts, detected_at excluded");
        assertEquals(1, result[0].deadLetters());
        assertEquals(Map.of(RejectReason.EVENT_TIME_IN_FUTURE.code(), 1L), result[0].rejectedByReason());
        System.out.printf("DirtyInputIT: replay of %d lines with one from 2099: %d finals as without it, rejected %s%n",
                lines.size(), actual.get(0).size(), result[0].rejectedByReason());
    }

    @Test
    void aReplayLineThatCannotBeWrittenIsNamedInTheError(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(EventStream.generated(53, 20, 5, 50, FaultRates.NONE)
                .writeLines(dir.resolve("small.jsonl"))));
        lines.add(7, "{\"type\":\"signup\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"); // over the 1 MiB record limit
        Path input = Files.write(dir.resolve("too-large.jsonl"), lines);

        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> replay(input, dir, "too-large"));

        assertTrue(e.getMessage().contains("1 input records could not be written (lines [8])"), e.getMessage());
        assertTrue(e.getMessage().contains(input + " line 8"), e.getMessage());
    }

    @Test
    void lateEventsGoToTheLateTopicWithTheirReasonAndAreCountedAsTheReferenceModelSays(@TempDir Path dir) {
        // One partition: lateness is then a function of the input order alone (docs/ARCHITECTURE.md, known limits).
        EventStream late = EventStream.generated(37, 400, 60, 3_000, FaultRates.NONE.withDuplicateRate(0.01)
                .withLate(0.01, FaultRates.DEFAULT_MIN_LATE_DELAY));
        ReferenceModel reference = late.reference();

        Result result = run("dirty-late", late, dir, 1);

        result.outputs().assertMatchesReference(reference.finals());
        List<ConsumerRecord<byte[], byte[]>> lateRecords = result.outputs().lateEvents();
        assertTrue(reference.lateEvents() > 0, "the stream has late events");
        assertEquals(reference.lateEvents(), lateRecords.size(), "late events");
        for (ConsumerRecord<byte[], byte[]> r : lateRecords) {
            assertEquals(LateReason.BEYOND_GRACE.code(), header(r, CustomerProcessor.LATE_REASON_HEADER));
            assertTrue(header(r, CustomerProcessor.LATE_DETAIL_HEADER).contains("beyond grace"));
        }
        System.out.printf("DirtyInputIT: %d late events of %d records, all with reason %s%n", lateRecords.size(),
                late.size(), LateReason.BEYOND_GRACE.code());
    }

    @Test
    void replayOfADirtyFileWritesExactlyTheMetricsAndAlertsOfTheCleanFile(@TempDir Path dir) throws Exception {
        EventStream cleanFile = EventStream.generated(43, 500, 40, 3_000,
                FaultRates.NONE.withOutOfOrder(0.02, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY));
        EventStream dirtyFile = cleanFile.duplicated().withPoison(0.01, 3);

        List<List<String>> clean = replay(cleanFile.writeLines(dir.resolve("clean.jsonl")), dir, "clean");
        List<List<String>> dirty = replay(dirtyFile.writeLines(dir.resolve("dirty.jsonl")), dir, "dirty");

        assertTrue(clean.get(0).size() > 1000, "finals: " + clean.get(0).size());
        assertEquals(clean.get(0), dirty.get(0), "final metrics, computed_at excluded");
        assertEquals(clean.get(1), dirty.get(1), "alerts, detected_at excluded");
        System.out.printf("DirtyInputIT: replay of %d dirty lines = replay of %d clean lines: %d finals, %d alerts%n",
                Files.readAllLines(dir.resolve("dirty.jsonl")).size(), cleanFile.size(), clean.get(0).size(), clean.get(1).size());
    }

    /** Runs {@code replay} on the file; returns its finals and its alerts without their wall-clock fields. */
    private static List<List<String>> replay(Path input, Path dir, String name) throws Exception {
        return replay(input, dir, name, new Replay.Result[1]);
    }

    private static List<List<String>> replay(Path input, Path dir, String name, Replay.Result[] result) throws Exception {
        Path metrics = dir.resolve(name + "-metrics.jsonl");
        Path alerts = dir.resolve(name + "-alerts.jsonl");
        result[0] = new Replay(new ReplayOptions(input, metrics, alerts, broker.bootstrapServers(), Duration.ofMinutes(2), false),
                Settings.load(null, Map.of(), Map.of()), new PrintStream(OutputStream.nullOutputStream())).run();
        return List.of(withoutField(metrics, "computed_at"), withoutField(alerts, "detected_at"));
    }

    private static List<String> withoutField(Path jsonLines, String field) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonLines)) {
            ObjectNode node = (ObjectNode) json.readTree(line);
            node.remove(field);
            out.add(node.toString());
        }
        out.sort(null);
        return out;
    }

    private static List<String> sortedValues(List<byte[]> values) {
        List<String> out = new ArrayList<>();
        for (byte[] v : values) {
            out.add(Base64.getEncoder().encodeToString(v));
        }
        out.sort(null);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The run's input records by "partition@offset". */
    private static Map<String, ConsumerRecord<byte[], byte[]>> readInput(PipelineRun run) {
        Map<String, ConsumerRecord<byte[], byte[]>> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineOutputs.readAll(run.client(), run.inputTopic())) {
            out.put(r.partition() + "@" + r.offset(), r);
        }
        return out;
    }
}
