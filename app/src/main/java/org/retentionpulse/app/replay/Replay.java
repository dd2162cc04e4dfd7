package org.retentionpulse.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.console.ConsumptionProgress;
import org.retentionpulse.app.console.ProgressReporter;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.pipeline.ApplicationLag;
import org.retentionpulse.app.pipeline.Pipeline;
import org.retentionpulse.app.pipeline.TempDirectory;
import org.retentionpulse.app.pipeline.PipelineStartup;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.schemas.serde.ChurnRiskAlertSerde;
import org.retentionpulse.schemas.serde.CohortCellSerde;
import org.retentionpulse.schemas.serde.MetricAlertSerde;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.cohort.CohortAggregator;
import org.retentionpulse.topology.serde.InputEventDeserializer;
import org.retentionpulse.topology.serde.FutureEventGuard;
import org.retentionpulse.topology.time.WindowSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch door to the streaming pipeline: writes a JSON Lines file to a fresh input topic in file order
 * (one partition, so stream time is the file's), ends it with a tick that closes every window, runs the
 * real topology on Kafka with exactly-once, waits until it has consumed everything, and writes every final
 * metric record (and every alert, metric alert and final cohort cell, when asked) as JSON Lines.
 */
public final class Replay {
    private static final Logger log = LoggerFactory.getLogger(Replay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT_TOPIC = "events";

    /** What a replay did. */
    public record Result(long lines, long blankLines, long finals, long alerts, long deadLetters, long lateEvents,
                         Map<String, Long> rejectedByReason, Duration elapsed, long metricAlerts, long cohortCells) {
    }

    private final ReplayOptions options;
    private final Settings settings;
    private final PrintStream progress;

    public Replay(ReplayOptions options, Settings settings, PrintStream progress) {
        this.options = options;
        this.settings = settings;
        this.progress = progress;
    }

    public Result run() throws IOException, InterruptedException {
        long begun = System.nanoTime();
        if (!Files.isReadable(options.input())) {
            throw new IllegalArgumentException("cannot read input file " + options.input());
        }
        EmbeddedKafkaBroker broker = null;
        TempDirectory state = new TempDirectory("retention-pulse-replay-state");
        Path stateDir = state.path();
        try {
            String bootstrap = options.bootstrapServers();
            if (bootstrap == null) {
                progress.println("Starting an embedded Kafka broker...");
                broker = EmbeddedKafkaBroker.builder().start();
                bootstrap = broker.bootstrapServers();
            }
            return replayOn(bootstrap, stateDir, begun);
        } finally {
            if (broker != null) {
                broker.close();
            }
            state.close();
        }
    }

    /** One replay on the cluster at {@code bootstrap}: its own topics and application id, through the shared start-up path. */
    private Result replayOn(String bootstrap, Path stateDir, long begun) throws IOException, InterruptedException {
        String runId = ApplicationLag.newRunId("replay");
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.BOOTSTRAP_SERVERS, bootstrap);
        overrides.put(AppDefaults.APPLICATION_ID, "retention-pulse-" + runId);
        overrides.put(AppDefaults.STATE_DIR, stateDir.toString());
        overrides.put(AppDefaults.UPDATE_INTERVAL, "PT0S");
        overrides.put(AppDefaults.TOPICS_PARTITIONS, "1");
        overrides.put(AppDefaults.TOPICS_CREATE, "true");
        Settings runSettings = Settings.load(null, Map.of(), merged(overrides));
        Properties client = new PipelineSettings(runSettings).clientProperties();
        // "As of processing" is as of the replay: one instant for the pipeline's future rule and for the end of input.
        Clock asOf = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        Result result;
        try (StartedPipeline started = PipelineStartup.start(PipelineStartup.Request.of(runSettings).adjusting(t -> t
                .withTopics(TopologyConfig.Topics.defaults().withInputs(List.of(INPUT_TOPIC)).prefixed(runId + "."))
                .withFutureLimit(t.maxFuture(), asOf)));
             Admin admin = Admin.create(client)) {
            TopologyConfig topology = started.topology();
            Pipeline pipeline = started.pipeline();
            String inputTopic = topology.topics().inputs().get(0);
            long[] counts = produce(client, inputTopic, topology.windowSet(), topology.futureGuard());
            progress.printf("Wrote %,d events to %s; waiting for the pipeline...%n", counts[0], inputTopic);
            String applicationId = "retention-pulse-" + runId;
            awaitConsumed(new ApplicationLag(admin, applicationId), inputTopic, ApplicationLag.segmentDeltasTopic(applicationId),
                    counts[0]);
            Map<String, Long> rejected = pipeline.rejections();
            started.close();
            long finals = writeFinals(client, topology.topics().metricUpdates(), options.metricsOut());
            long alerts = options.alertsOut() == null ? 0 : writeAlerts(client, topology.topics().alerts(), options.alertsOut());
            long metricAlerts = options.metricAlertsOut() == null ? 0
                    : writeMetricAlerts(client, topology.topics().metricAlerts(), options.metricAlertsOut());
            long cohortCells = options.cohortsOut() == null ? 0
                    : writeCohortCells(client, topology.topics().cohorts(), options.cohortsOut());
            long dead = count(client, topology.topics().deadLetters());
            long late = count(client, topology.topics().lateEvents());
            result = new Result(counts[0], counts[1], finals, alerts, dead, late, rejected,
                    Duration.ofNanos(System.nanoTime() - begun), metricAlerts, cohortCells);
            if (options.bootstrapServers() != null && !options.keepTopics()) {
                deleteTopics(admin, runId);
            }
        }
        return result;
    }

    private Map<String, String> merged(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(settings.values());
        all.putAll(overrides);
        return all;
    }

    /** Produces every line in file order; returns {lines produced, blank lines skipped}. */
    private long[] produce(Properties client, String topic, WindowSet windows, FutureEventGuard future) throws IOException {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // The input topic was created a moment ago: one request in flight, see KafkaEventSink.producerConfig (KAFKA-15591).
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        long lines = 0;
        long blank = 0;
        long maxTime = Long.MIN_VALUE;
        long lastReport = System.nanoTime();
        SendFailures failures = new SendFailures(options.input());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
             BufferedReader reader = Files.newBufferedReader(options.input(), StandardCharsets.UTF_8)) {
            String line;
            long lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    blank++;
                    continue;
                }
                byte[] key = null;
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node != null && node.hasNonNull("customer_id")) {
                        key = node.get("customer_id").asText().getBytes(StandardCharsets.UTF_8);
                    }
                    long time = eventTime(node);
                    // An event from the future is rejected by the pipeline: it must not decide where the input ends.
                    if (!future.isInFuture(time)) {
                        maxTime = Math.max(maxTime, time);
                    }
                } catch (IOException notJson) {
                    // produced as it is: the pipeline rejects it to the dead-letter topic
                }
                // No explicit timestamp: the record carries the send time, which the broker always accepts
                // (log.message.timestamp.after.max.ms refuses times from the future, and takes their batch with them).
                producer.send(new ProducerRecord<>(topic, key, line.getBytes(StandardCharsets.UTF_8)), failures.forLine(lineNumber));
                lines++;
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(2)) {
                    progress.printf("  %,d events written%n", lines);
                    lastReport = System.nanoTime();
                }
            }
            long tick = maxTime == Long.MIN_VALUE ? System.currentTimeMillis() : maxTime + windows.horizonMs() + windows.bucketMs() + 1;
            RecordHeaders headers = new RecordHeaders();
            // End of input: closes every window; churn-risk tracking stays at the last event's time.
            headers.add(InputEventDeserializer.CONTROL_HEADER, InputEventDeserializer.END_OF_INPUT.getBytes(StandardCharsets.UTF_8));
            // The tick's time is its value; its record timestamp is the send time, so the broker accepts it however far ahead it is.
            producer.send(new ProducerRecord<>(topic, null, null, null, InputEventDeserializer.tickValue(tick), headers),
                    failures.forLine(0));
            producer.flush();
            failures.throwIfAny();
        }
        return new long[] {lines, blank};
    }

    private static long eventTime(JsonNode node) {
        JsonNode t = node == null ? null : node.get("occurred_at");
        if (t == null) {
            return Long.MIN_VALUE;
        }
        try {
            return t.isNumber() ? t.asLong() : Instant.parse(t.asText()).toEpochMilli();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * Waits until the application's committed offsets reach the end of the input and of its repartition topic,
     * showing the input events done out of {@code total}, the rate and the time left.
     */
    private void awaitConsumed(ApplicationLag lag, String input, String repartition, long total) throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        ConsumptionProgress lines = new ConsumptionProgress("pipeline", total, true);
        try (ProgressReporter reporter = ProgressReporter.to(progress)) {
            while (true) {
                try {
                    Map<String, Long> behind = lag.behindByTopic(List.of(input, repartition));
                    long inputBehind = behind.get(input);
                    long repartitionBehind = behind.get(repartition);
                    if (inputBehind == 0 && repartitionBehind == 0) {
                        return;
                    }
                    reporter.report(lines.fraction(inputBehind), lines.line(inputBehind, repartitionBehind));
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.debug("offset lookup failed, retrying", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pipeline did not finish within " + options.timeout()
                            + " (raise --timeout for large inputs)");
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    private long writeFinals(Properties client, String topic, Path out) throws IOException {
        MetricUpdateSerde serde = new MetricUpdateSerde();
        TreeMap<String, String> finals = new TreeMap<>();
        long[] duplicates = {0};
        readAll(client, topic, record -> {
            MetricUpdate update = serde.decode(record.value());
            if (update.getFinal$()) {
                // churn_reason_share has one record per reason, so the reason is part of the key
                String key = update.getWindow() + '|' + update.getWindowStart() + '|' + update.getSegment() + '|' + update.getMetric()
                        + (update.getReason() == null ? "" : '|' + update.getReason());
                if (finals.put(key, CanonicalJson.formatMetricUpdate(update)) != null) {
                    duplicates[0]++;
                }
            }
        });
        if (duplicates[0] > 0) {
            throw new IllegalStateException(duplicates[0] + " windows have more than one final record");
        }
        writeLines(out, finals.values());
        return finals.size();
    }

    /** Every final cohort cell, one per key {@code period|segment|cohort_start|k}, in key order. */
    private long writeCohortCells(Properties client, String topic, Path out) throws IOException {
        CohortCellSerde serde = new CohortCellSerde();
        TreeMap<String, String> finals = new TreeMap<>();
        long[] duplicates = {0};
        readAll(client, topic, record -> {
            CohortCell cell = serde.decode(record.value());
            if (cell.getFinal$() && finals.put(CohortAggregator.key(cell), CanonicalJson.formatCohortCell(cell)) != null) {
                duplicates[0]++;
            }
        });
        if (duplicates[0] > 0) {
            throw new IllegalStateException(duplicates[0] + " cohort cells have more than one final record");
        }
        writeLines(out, finals.values());
        return finals.size();
    }

    private long writeAlerts(Properties client, String topic, Path out) throws IOException {
        ChurnRiskAlertSerde serde = new ChurnRiskAlertSerde();
        List<String> alerts = new ArrayList<>();
        readAll(client, topic, record -> alerts.add(CanonicalJson.formatAlert(serde.decode(record.value()))));
        writeLines(out, alerts);
        return alerts.size();
    }

    private long writeMetricAlerts(Properties client, String topic, Path out) throws IOException {
        MetricAlertSerde serde = new MetricAlertSerde();
        List<String> alerts = new ArrayList<>();
        readAll(client, topic, record -> alerts.add(CanonicalJson.formatMetricAlert(serde.decode(record.value()))));
        writeLines(out, alerts);
        return alerts.size();
    }

    private static long count(Properties client, String topic) {
        long[] n = {0};
        readAll(client, topic, record -> n[0]++);
        return n[0];
    }

    /** Reads a topic from the beginning to its current end, committed records only. */
    private static void readAll(Properties client, String topic, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(sink);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 5 minutes");
                }
            }
        }
    }

    private static void writeLines(Path out, Iterable<String> lines) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                w.write(line);
                w.newLine();
            }
        }
    }

    private static void deleteTopics(Admin admin, String runId) {
        try {
            List<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(n -> n.startsWith(runId + ".") || n.startsWith("retention-pulse-" + runId)).toList();
            admin.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Could not delete the replay's topics (prefix {}): {}", runId, e.toString());
        }
    }


    /**
     * Remembers failed sends by input line, so that a replay never reports success over input it did not write, and
     * says which lines were lost.
     */
    private static final class SendFailures {
        private final Path input;
        private final java.util.concurrent.ConcurrentSkipListMap<Long, Exception> failed = new java.util.concurrent.ConcurrentSkipListMap<>();

        SendFailures(Path input) {
            this.input = input;
        }

        /** The callback of the record of line {@code lineNumber} (0: the end-of-input tick). */
        org.apache.kafka.clients.producer.Callback forLine(long lineNumber) {
            return (metadata, e) -> {
                if (e != null) {
                    failed.put(lineNumber, e);
                }
            };
        }

        void throwIfAny() {
            if (failed.isEmpty()) {
                return;
            }
            Map.Entry<Long, Exception> first = failed.firstEntry();
            String where = first.getKey() == 0 ? "the end-of-input tick" : input + " line " + first.getKey();
            List<Long> lines = failed.keySet().stream().filter(n -> n > 0).limit(10).toList();
            throw new IllegalStateException(failed.size() + " input records could not be written (lines " + lines
                    + (failed.size() > lines.size() ? ", ..." : "") + "); the first, " + where + ": " + first.getValue().getMessage(),
                    first.getValue());
        }
    }
}
