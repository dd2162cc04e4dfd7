package org.retentionpulse.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.pipeline.ApplicationLag;
import org.retentionpulse.app.pipeline.Pipeline;
import org.retentionpulse.app.pipeline.PipelineStartup;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.app.pipeline.TempDirectory;
import org.retentionpulse.app.pipeline.TopicProvisioner;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.tools.generator.EventGenerator;
import org.retentionpulse.tools.generator.GeneratedEvent;
import org.retentionpulse.tools.generator.GeneratorConfig;
import org.retentionpulse.tools.generator.KafkaEventSink;
import org.retentionpulse.tools.generator.TopicNames;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.metrics.SegmentStageMetrics;
import org.retentionpulse.topology.time.Backlog;

/**
 * One benchmark run, in this order, on one set of fresh topics (inputs and outputs on {@code LogAppendTime}):
 * <ol>
 *   <li>pre-load: the generator's events (Avro) for the configured customers into the input topics, unpaced;</li>
 *   <li>raw consume: a plain consumer reads all input (the ceiling);</li>
 *   <li>pipeline: the real topology (all metrics, alerts, exactly-once, the normal settings) from a cold start until
 *       its committed offsets reach the end of the input topics and of the segment-deltas repartition topic;</li>
 *   <li>raw consume again (the machine is shared: the ceiling is the mean of the two reads around the pipeline);</li>
 *   <li>state size after a clean close; then the state directory is wiped and the pipeline restarted, timed until it is
 *       RUNNING with every store restored from its changelog;</li>
 *   <li>latency: the restored pipeline under a steady, paced load of a fraction of the measured pipeline rate (the
 *       generator's next events): a warm-up at that rate, not sampled, then the measured phase, every output's append
 *       time minus its source timestamp.</li>
 * </ol>
 */
public final class Benchmark {
    private static final Duration QUIET = Duration.ofSeconds(2).plus(Backlog.BEHIND);
    /**
     * How long the latency phase's producer lets records wait for a batch. The latency is measured from the broker's
     * append time of the input, so the wait is not part of it; unbatched, each of the thousands of events per second is
     * its own produce request, and the generator and the broker's request handling take CPU from the pipeline on the
     * same two cores (upstream producers batch as well: Kafka's default linger is 5 ms).
     */
    private static final int LATENCY_LINGER_MS = 10;
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(System.console() != null ? 2 : 5);
    /**
     * The generator is sized for this many times the pre-loaded events; the rest feeds the latency phase, which ends
     * early when it runs out (reported). The size defines the bench's stream (199 days for 1M events and 100k
     * customers), so it is not grown for the phase: at 1M the 30 s phase gets about 25 s of events.
     */
    private static final double GENERATED_MARGIN = 1.2;
    /** The name of {@code OutputMonitor}'s thread: its CPU is part of what `run` costs (BenchIT checks that it is found). */
    private static final String OUTPUT_MONITOR_THREAD = "retention-pulse-output-monitor";
    /**
     * The network thread of Kafka's asynchronous consumer, which the main consumer is under {@code group.protocol=streams};
     * it is named without its client id, so it is counted by this name (the bench's own consumers are classic ones).
     */
    private static final String ASYNC_CONSUMER_THREAD = "consumer_background_thread";

    private final BenchOptions options;
    private final Settings settings;
    private final PrintStream progress;

    public Benchmark(BenchOptions options, Settings settings, PrintStream progress) {
        this.options = options;
        this.settings = settings;
        this.progress = progress;
    }

    public BenchResult run() throws Exception {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        EmbeddedKafkaBroker broker = null;
        TempDirectory tempState = options.stateDir() == null ? new TempDirectory("retention-pulse-bench-state") : null;
        Path stateRoot = tempState != null ? tempState.path() : options.stateDir();
        try {
            String bootstrap = options.bootstrapServers();
            if (bootstrap == null) {
                progress.println("Starting an embedded Kafka broker...");
                broker = EmbeddedKafkaBroker.builder().start();
                bootstrap = broker.bootstrapServers();
            }
            return measure(bootstrap, stateRoot, loadBefore);
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (tempState != null) {
                tempState.close();
            }
        }
    }

    /** What every phase of one run shares: its names, settings, topics and clients. */
    private record Run(String runId, String applicationId, PipelineSettings settings, TopologyConfig topology, Properties client,
                       Admin admin, List<String> inputs, String repartition, Path appStateDir, ColdRun clock) {
        /** The Kafka Streams properties of every pipeline start (the same, so the restart restores the same stores). */
        Properties streamsProperties() {
            return settings.streamsProperties(topology, Map.of());
        }
    }

    private BenchResult measure(String bootstrap, Path stateRoot, double loadBefore) throws Exception {
        String runId = ApplicationLag.newRunId("bench");
        String applicationId = "retention-pulse-" + runId;
        Map<String, String> overrides = new HashMap<>(settings.values());
        overrides.put(AppDefaults.BOOTSTRAP_SERVERS, bootstrap);
        overrides.put(AppDefaults.APPLICATION_ID, applicationId);
        overrides.put(AppDefaults.STATE_DIR, stateRoot.toString());
        PipelineSettings pipelineSettings = new PipelineSettings(Settings.load(null, Map.of(), overrides));
        TopologyConfig base = pipelineSettings.topology(options.partitions());
        TopologyConfig topology = base.withTopics(base.topics().prefixed(runId + "."));
        Properties client = pipelineSettings.clientProperties();
        List<String> inputs = topology.topics().inputs();
        try (TopicProvisioner topics = new TopicProvisioner(client)) {
            Admin admin = topics.admin();
            Run run = new Run(runId, applicationId, pipelineSettings, topology, client, admin, inputs,
                    ApplicationLag.segmentDeltasTopic(applicationId), stateRoot.resolve(applicationId),
                    new ColdRun(admin, inputs, options.events(), options.timeout(), progress));
            topics.createMissing(topology.topics(), options.partitions(), replication(run), "LogAppendTime");

            // 1. Pre-load.
            EventGenerator generator = EventGenerator.create(generatorConfig());
            long customersSeen;
            try (KafkaEventSink sink = KafkaEventSink.create(bootstrap, topicNames(inputs), WireFormat.AVRO, producerOverrides(client, 20))) {
                customersSeen = preload(generator, sink);
            }
            // 2. Raw consume, yardstick apps, pipeline, raw consume.
            Throughput throughput = throughput(run);
            // 3. State size, restore.
            Map<String, Long> disk = StateFootprint.diskBytesByStore(run.appStateDir());
            progress.println("Reading the changelogs for the live state size...");
            Map<String, Long> live = new java.util.TreeMap<>(StateFootprint.liveChangelogBytesByStore(admin, client, applicationId));
            live.putAll(throughput.unloggedBytes()); // no changelog: read from the running pipeline after the backfill
            Restore restore = restore(run);
            // 4. Latency, on the pipeline as `run` starts it.
            BenchResult.Latency latency = null;
            if (!options.skipLatency()) {
                try (Started pipeline = start(run)) {
                    ColdRun.awaitRunning(pipeline.streams(), System.nanoTime(), options.timeout());
                    latency = latency(generator, bootstrap, run, pipeline.streams(), throughput.pipeline().eventsPerSecond());
                }
            }
            if (options.bootstrapServers() != null) {
                deleteRunTopics(admin, runId, List.of(applicationId, Yardstick.passthroughId(runId), Yardstick.floorId(runId)));
            }
            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return new BenchResult(options.events(), customersSeen, options.customers(), options.partitions(), throughput.raw(),
                    throughput.rawRate(), throughput.rawPerCpu(), throughput.pipeline(), throughput.monitorCpuSeconds(),
                    throughput.yardstick(), latency, disk, live, restore.seconds(), restore.records(),
                    machine(loadBefore, loadAfter), settingsJson(run), throughput.segmentTasks(), throughput.repartitionBytes(),
                    throughput.streamThreadsCpuSeconds());
        }
    }

    private short replication(Run run) {
        return (short) run.settings().settings().getInt(AppDefaults.TOPICS_REPLICATION_FACTOR);
    }

    /** The throughput phases' figures. */
    private record Throughput(List<Double> raw, double rawRate, double rawPerCpu, ColdRun.Result pipeline, double monitorCpuSeconds,
                              Yardstick.Result yardstick, Map<String, SegmentStageMetrics.TaskReads> segmentTasks,
                              long repartitionBytes, double streamThreadsCpuSeconds, Map<String, Long> unloggedBytes) {
    }

    /**
     * The raw consume, the yardstick apps (unless skipped), the pipeline from a cold start, the raw consume again
     * (the machine is shared: the ceiling is the mean of the two reads around the rest).
     */
    private Throughput throughput(Run run) throws Exception {
        Map<TopicPartition, Long> inputEnds = ApplicationLag.endOffsets(run.admin(), run.inputs());
        List<Double> raw = new ArrayList<>();
        List<Double> rawPerCpu = new ArrayList<>();
        raw.add(rawConsume(run.client(), run.inputs(), inputEnds, 1, rawPerCpu));
        Yardstick.Result yardstick = null;
        if (!options.skipFloor()) {
            yardstick = new Yardstick(run.admin(), run.client(), yardstickProperties(run), run.clock(), progress)
                    .measure(run.runId(), run.inputs(), options.partitions(), run.topology().segmentPartitions(), replication(run));
        }
        progress.printf("Pipeline from a cold start (exactly-once, all metrics and alerts; %s)...%n", options.wiring().description());
        List<String> cpuMarkers = new ArrayList<>(List.of(run.applicationId(), ASYNC_CONSUMER_THREAD));
        if (options.wiring() == BenchOptions.Wiring.RUN) {
            cpuMarkers.add(OUTPUT_MONITOR_THREAD);
        }
        ColdRun.Result pipeline;
        long monitorCpuBefore = ThreadCpu.nanos(OUTPUT_MONITOR_THREAD);
        long monitorCpuAfter;
        Map<String, SegmentStageMetrics.TaskReads> segmentTasks;
        long repartitionBytes;
        double streamCpu;
        Map<String, Long> unlogged;
        try (Started started = start(run)) {
            pipeline = run.clock().measure("pipeline", started::streams, run.applicationId(), List.of(run.repartition()), cpuMarkers);
            monitorCpuAfter = ThreadCpu.nanos(OUTPUT_MONITOR_THREAD);
            segmentTasks = SegmentStageMetrics.readsByTask(started.streams().metrics());
            repartitionBytes = bytesConsumed(started.streams().metrics(), run.repartition());
            streamCpu = ThreadCpu.streamThreadNanos(run.applicationId()) / 1e9; // from a cold start: no restore in it
            // The open windows' updates land at the segment stage's next wall-clock emission, which may come after the
            // committed offsets reached the end: read the unlogged store once it stopped changing.
            unlogged = awaitQuiet(() -> StateFootprint.unloggedBytesByStore(started.streams()));
        }
        progress.printf(Locale.ROOT, "  %s: %,d bytes read by the segment stage, %.1f per input event%n", run.repartition(),
                repartitionBytes, (double) repartitionBytes / options.events());
        segmentTasks.forEach((task, reads) -> progress.printf(Locale.ROOT,
                "  segment task %s read %,d records (%,d batches holding %,d segment changes, %,d watermarks)%n",
                task, reads.records(), reads.batches(), reads.segmentChanges(), reads.watermarks()));
        raw.add(rawConsume(run.client(), run.inputs(), inputEnds, 2, rawPerCpu));
        double rawRate = raw.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double rawPerCpuRate = rawPerCpu.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        progress.printf(Locale.ROOT, "  per CPU second: raw consume %,.0f events, pipeline %,.0f events%n", rawPerCpuRate,
                pipeline.eventsPerCpuSecond());
        return new Throughput(raw, rawRate, rawPerCpuRate, pipeline, (monitorCpuAfter - monitorCpuBefore) / 1e9, yardstick,
                segmentTasks, repartitionBytes, streamCpu, unlogged);
    }

    /** The bytes the main consumers of a Kafka Streams client fetched of {@code topic} (the consumers' per-topic metric). */
    static long bytesConsumed(Map<MetricName, ? extends Metric> metrics, String topic) {
        String tag = topic.replace('.', '_'); // the consumer's metric tags spell a topic's dots as underscores
        long total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName name = e.getKey();
            if (name.name().equals("bytes-consumed-total") && name.group().equals("consumer-fetch-manager-metrics")
                    && tag.equals(name.tags().get("topic")) && !name.tags().getOrDefault("client-id", "").endsWith("restore-consumer")
                    && e.getValue().metricValue() instanceof Number n) {
                total += n.longValue();
            }
        }
        return total;
    }

    /**
     * What the yardstick apps share with the pipeline: the processing guarantee, the state directory and the replication
     * factor of internal topics, and a {@code streams.commit.interval.ms} setting if one is given (it then applies to
     * all three). Everything else is Kafka Streams' default, the commit interval too (100 ms under exactly-once): the
     * pipeline's own {@code commit.interval} (1 s, with commits asked for sooner while live) is one of its design
     * choices the floor is measured against, as issue 12 defined the floor (a minimal app with Kafka Streams' defaults).
     */
    private static Map<String, Object> yardstickProperties(Run run) {
        Properties p = run.streamsProperties();
        Map<String, Object> shared = new HashMap<>();
        shared.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        shared.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, yardstickCommitIntervalMs(run, p));
        shared.put(StreamsConfig.STATE_DIR_CONFIG, p.get(StreamsConfig.STATE_DIR_CONFIG));
        shared.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, p.get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
        return shared;
    }

    /** The yardstick's commit interval: a {@code streams.commit.interval.ms} setting, else Kafka Streams' default for the guarantee. */
    private static long yardstickCommitIntervalMs(Run run, Properties pipelineProperties) {
        Properties kafkaDefaults = new Properties();
        kafkaDefaults.putAll(pipelineProperties);
        kafkaDefaults.remove(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        kafkaDefaults.putAll(run.settings().settings().withPrefix("streams."));
        return effectiveCommitIntervalMs(kafkaDefaults);
    }

    /** The commit interval Kafka Streams uses with these properties (its default depends on the guarantee: 100 ms under exactly-once). */
    private static long effectiveCommitIntervalMs(Properties streamsProperties) {
        return new StreamsConfig(streamsProperties).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    }

    /**
     * The pipeline as the bench measures it, started the way every command starts it ({@link PipelineStartup}: topics,
     * built-for check, deleted-history watch): with {@link BenchOptions.Wiring#RUN} exactly what {@code run} starts
     * (HTTP server, Prometheus registry and meters, output monitor); with {@link BenchOptions.Wiring#BARE} the
     * topology alone (to see what the rest costs).
     */
    private Started start(Run run) throws Exception {
        PipelineStartup.Request request = PipelineStartup.Request.of(run.settings().settings())
                .adjusting(t -> t.withTopics(run.topology().topics()));
        return new Started(PipelineStartup.start(options.wiring() == BenchOptions.Wiring.RUN ? request.served() : request));
    }

    /** A started pipeline, as {@code run} or bare. Closing leaves the group first. */
    private record Started(StartedPipeline started) implements AutoCloseable {
        KafkaStreams streams() {
            return started.pipeline().streams();
        }

        @Override
        public void close() {
            closeLeavingGroup(started.pipeline());
            started.close();
        }
    }

    /** The restore measurement (nulls when skipped). */
    private record Restore(Double seconds, Long records) {
    }

    /**
     * Wipes the state directory and restarts the topology alone, timed until it is RUNNING with every store
     * restored (a restore listener must be set before start, which {@code ServedPipeline} does not offer; HTTP and
     * the output monitor play no part in a restore). With {@code --skip-restore} nothing is measured.
     */
    private Restore restore(Run run) throws Exception {
        if (options.skipRestore()) {
            return new Restore(null, null);
        }
        progress.println("Wiping the state directory and restarting: restore from the changelogs...");
        deleteRecursively(run.appStateDir());
        RestoreWatch watch = new RestoreWatch();
        Pipeline pipeline = new Pipeline(run.topology(), run.streamsProperties());
        pipeline.streams().setGlobalStateRestoreListener(watch);
        long restartAt = System.nanoTime();
        pipeline.start();
        try {
            awaitRestored(pipeline, watch, restartAt);
            double seconds = (System.nanoTime() - restartAt) / 1e9;
            progress.printf(Locale.ROOT, "  restored %,d records in %.1f s%n", watch.restored.get(), seconds);
            return new Restore(seconds, watch.restored.get());
        } finally {
            closeLeavingGroup(pipeline);
            pipeline.close();
        }
    }

    /**
     * The generator, sized so that its whole period holds about {@value #GENERATED_MARGIN} times the pre-loaded
     * events for the configured customers: the period is found from small samples of the same population.
     */
    private GeneratorConfig generatorConfig() {
        int sample = Math.min(options.customers(), 2000);
        double wanted = GENERATED_MARGIN * options.events() / options.customers();
        int days = 90;
        for (int i = 0; i < 4; i++) {
            GeneratorConfig probe = GeneratorConfig.builder().seed(options.seed()).customers(sample).days(days).build();
            long n = EventGenerator.create(probe).stream().count();
            double perCustomer = n / (double) sample;
            int next = (int) Math.max(1, Math.min(3650, Math.ceil(days * wanted / Math.max(perCustomer, 1e-9))));
            if (Math.abs(next - days) <= Math.max(1, days / 50)) {
                break;
            }
            days = next;
        }
        progress.printf(Locale.ROOT, "Generator: %,d customers over %d days of event time (seed %d)%n", options.customers(), days, options.seed());
        return GeneratorConfig.builder().seed(options.seed()).customers(options.customers()).days(days).build();
    }

    private long preload(EventGenerator generator, KafkaEventSink sink) {
        progress.printf(Locale.ROOT, "Pre-loading %,d events...%n", options.events());
        Set<String> customers = new HashSet<>();
        long start = System.nanoTime();
        long lastReport = start;
        long n = 0;
        while (n < options.events() && generator.hasNext()) {
            GeneratedEvent event = generator.next();
            sink.write(event);
            customers.add(event.customerId());
            n++;
            if ((n & 0x3FF) == 0 && System.nanoTime() - lastReport > REPORT_NANOS) {
                lastReport = System.nanoTime();
                progress.printf(Locale.ROOT, "  pre-load: %,d / %,d events (%,.0f/s)%n", n, options.events(), n / ((lastReport - start) / 1e9));
            }
        }
        sink.flush();
        if (n < options.events()) {
            throw new IllegalStateException("the generator ended after " + n + " events; raise --customers or lower --events");
        }
        progress.printf(Locale.ROOT, "  pre-loaded %,d events of %,d customers in %.1f s%n", n, customers.size(), (System.nanoTime() - start) / 1e9);
        return customers.size();
    }

    private double rawConsume(Properties client, List<String> inputs, Map<TopicPartition, Long> ends, int run, List<Double> perCpu) {
        progress.printf("Raw consume of all input, run %d...%n", run);
        RawConsumeRate.Result r = RawConsumeRate.measure(client, inputs, ends, progress);
        if (r.records() != options.events()) {
            throw new IllegalStateException("the raw consumer read " + r.records() + " records, expected " + options.events());
        }
        progress.printf(Locale.ROOT, "  raw consume: %,d records (%,d bytes) in %.2f s: %,.0f records/s%n",
                r.records(), r.bytes(), r.elapsed().toNanos() / 1e9, r.recordsPerSecond());
        perCpu.add(r.recordsPerCpuSecond());
        return r.recordsPerSecond();
    }

    private BenchResult.Latency latency(EventGenerator generator, String bootstrap, Run run, KafkaStreams streams, double pipelineRate)
            throws Exception {
        TopologyConfig topology = run.topology();
        double rate = options.offeredRate(pipelineRate);
        double load = rate / pipelineRate;
        progress.printf(Locale.ROOT, "Latency: %,.0f events/s (%.0f %% of the pipeline rate) for %d s after a %d s warm-up...%n", rate,
                100 * load, options.latencySeconds(), options.latencyWarmupSeconds());
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(topology.topics().metricUpdates(), "metric_updates");
        outputs.put(topology.topics().alerts(), "alerts");
        long produced = 0;
        BenchResult.Warmup warmup;
        double seconds;
        Map<String, LatencyStats> stats;
        long withoutHeader;
        long restartOutputs;
        long fromBeforePhase;
        double streamCpuSeconds;
        try (LatencyProbe probe = new LatencyProbe(run.client(), new ArrayList<>(outputs.keySet()), run.repartition());
             KafkaEventSink sink = KafkaEventSink.create(bootstrap, topicNames(run.inputs()), WireFormat.AVRO,
                     producerOverrides(run.client(), LATENCY_LINGER_MS))) {
            restartOutputs = settle(probe);
            long backlogAtStart = probe.outputsFromBacklog();
            warmup = warmUp(generator, sink, probe, rate, run.applicationId(), streams);
            probe.sampleFrom(System.currentTimeMillis());
            long start = System.nanoTime();
            long cpuAtStart = ThreadCpu.streamThreadNanos(run.applicationId());
            produced = producePaced(generator, sink, probe, rate, options.latencySeconds(), run.applicationId(), streams);
            sink.flush();
            seconds = (System.nanoTime() - start) / 1e9;
            streamCpuSeconds = (ThreadCpu.streamThreadNanos(run.applicationId()) - cpuAtStart) / 1e9;
            if (!generator.hasNext()) {
                progress.printf(Locale.ROOT, "  the generated stream ended after %.1f s of the latency phase%n", seconds);
            }
            run.clock().awaitCommitted(run.applicationId(), List.of(run.repartition()), "latency drain", 0);
            awaitQuiet(probe::counts);
            stats = probe.stop();
            withoutHeader = probe.outputsWithoutHeader();
            fromBeforePhase = probe.outputsFromBacklog() - backlogAtStart;
        }
        Map<String, BenchResult.Summary> byOutput = new LinkedHashMap<>();
        LatencyStats all = new LatencyStats();
        outputs.forEach((topic, name) -> {
            byOutput.put(name, BenchResult.Summary.of(stats.get(topic)));
            all.addAll(stats.get(topic));
        });
        return new BenchResult.Latency(rate, load, warmup, produced, seconds, byOutput, BenchResult.Summary.of(all), withoutHeader,
                restartOutputs, fromBeforePhase, !generator.hasNext(), BenchResult.Summary.of(stats.get(run.repartition())),
                streamCpuSeconds);
    }

    /**
     * Produces at the phase's rate for the warm-up, not sampled: in every measured run the restarted pipeline's first
     * 10-15 s were slower than the rest of the phase (BENCHMARKS.md, session 12), and the phase measures the steady state.
     */
    private BenchResult.Warmup warmUp(EventGenerator generator, KafkaEventSink sink, LatencyProbe probe, double rate,
                                      String applicationId, KafkaStreams streams) {
        if (options.latencyWarmupSeconds() == 0) {
            return new BenchResult.Warmup(0, 0);
        }
        progress.printf(Locale.ROOT, "  warm-up: %d s at %,.0f events/s, not sampled%n", options.latencyWarmupSeconds(), rate);
        probe.sampleFrom(System.currentTimeMillis());
        long start = System.nanoTime();
        long events = producePaced(generator, sink, probe, rate, options.latencyWarmupSeconds(), applicationId, streams);
        return new BenchResult.Warmup(events, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Writes the generator's next events at {@code rate} for {@code phaseSeconds} or until the generator ends; every progress
     * line gives the latency since the previous one, the share of a core the stream threads used meanwhile (near
     * 100 % per thread: the offered load is at the pipeline's capacity, and the latency is queueing) and where their
     * wall-clock time went ({@link ThreadTimes}: polling, processing, punctuating, committing, and the end-to-end
     * latency Kafka Streams measured at each source and sink node).
     */
    private long producePaced(EventGenerator generator, KafkaEventSink sink, LatencyProbe probe, double rate, int phaseSeconds,
                              String applicationId, KafkaStreams streams) {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(phaseSeconds);
        long lastReport = start;
        long lastCpu = ThreadCpu.streamThreadNanos(applicationId);
        double nanosPerEvent = 1e9 / rate;
        long produced = 0;
        while (System.nanoTime() < end && generator.hasNext()) {
            long due = start + (long) (produced * nanosPerEvent);
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            sink.write(generator.next());
            produced++;
            if (now - lastReport > REPORT_NANOS) {
                long cpu = ThreadCpu.streamThreadNanos(applicationId);
                progress.printf(Locale.ROOT, "  latency: %,d events produced, outputs sampled %s; since the last line: stream threads busy %.0f %%"
                                + " of a core, p50/p99 %s%n    stream threads' time: %s%n", produced, probe.counts(), 100.0 * (cpu - lastCpu) / (now - lastReport),
                        probe.recent(), ThreadTimes.describe(streams.metrics()));
                lastReport = now;
                lastCpu = cpu;
            }
        }
        return produced;
    }

    /**
     * Waits, before the measured phase, until the restarted pipeline's own outputs are out: its first update publishes
     * every metric again, and its combiners send the changes they had journaled but not sent when the previous run
     * stopped. An update that folds those changes in carries their (old) source timestamp, so phase inputs folded into
     * the same update would not be sampled; a short phase could sample no update at all. Returns how many outputs the
     * restart wrote.
     */
    private long settle(LatencyProbe probe) throws InterruptedException {
        long written = awaitQuiet(probe::outputsRead);
        progress.printf(Locale.ROOT, "  the restarted pipeline wrote %,d outputs before the phase%n", written);
        return written;
    }

    /**
     * Waits until {@code counts} has not changed for {@link #QUIET} (at most 30 s) and returns its last value: a
     * coalesced update comes up to an update interval after its input reached the segment stage (up to
     * {@link Backlog#BEHIND} while that stage is behind), and a customer task that was behind sends its changes up to
     * {@link Backlog#BEHIND} late (the committed offsets of the
     * repartition topic do not cover changes not yet sent).
     */
    private static <T> T awaitQuiet(Supplier<T> counts) throws InterruptedException {
        T last = counts.get();
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - stableSince < QUIET.toNanos() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            T now = counts.get();
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    /** RUNNING, and every restoration that started has ended. */
    private void awaitRestored(Pipeline pipeline, RestoreWatch restore, long since) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (true) {
            ColdRun.awaitRunning(pipeline.streams(), since, options.timeout());
            if (restore.active.get() == 0) {
                return;
            }
            if (System.nanoTime() - lastReport > REPORT_NANOS) {
                lastReport = System.nanoTime();
                progress.printf(Locale.ROOT, "  restore: %,d records so far%n", restore.restored.get());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Counts restorations in flight and records restored. */
    private static final class RestoreWatch implements StateRestoreListener {
        final AtomicInteger active = new AtomicInteger();
        final AtomicLong restored = new AtomicLong();

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
            active.incrementAndGet();
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
            restored.addAndGet(numRestored);
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            active.decrementAndGet();
        }

        @Override
        public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
            active.decrementAndGet();
        }
    }

    /** Leaves the consumer group on close, so the next start does not wait for this member's session to time out. */
    private static void closeLeavingGroup(Pipeline pipeline) {
        pipeline.streams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
    }

    private static TopicNames topicNames(List<String> inputs) {
        if (inputs.size() == 4) {
            return new TopicNames(inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3));
        }
        return TopicNames.single(inputs.get(0));
    }

    private static Map<String, Object> producerOverrides(Properties client, int lingerMs) {
        Map<String, Object> overrides = new HashMap<>();
        client.forEach((k, v) -> overrides.put(String.valueOf(k), v));
        overrides.put(ProducerConfig.CLIENT_ID_CONFIG, "retention-pulse-bench-producer");
        overrides.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        overrides.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return overrides;
    }

    /** Deletes the run's topics and the internal topics of its applications (on an external cluster). */
    private static void deleteRunTopics(Admin admin, String runId, List<String> applicationIds) throws Exception {
        List<String> ours = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(runId + ".") || applicationIds.stream().anyMatch(id -> t.startsWith(id + "-"))).toList();
        admin.deleteTopics(ours).all().get(60, TimeUnit.SECONDS);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> machine(double loadBefore, double loadAfter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("memory_bytes", os.getTotalMemorySize());
        }
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("load_average_1m_before", loadBefore);
        m.put("load_average_1m_after", loadAfter);
        return m;
    }

    private Map<String, Object> settingsJson(Run run) {
        TopologyConfig topology = run.topology();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seed", options.seed());
        s.put("latency_load", options.latencyLoad());
        s.put("latency_rate", options.latencyRate());
        s.put("latency_seconds", options.latencySeconds());
        s.put("broker", options.bootstrapServers() == null ? "embedded" : "external");
        s.put("wiring", options.wiring().name().toLowerCase(Locale.ROOT));
        s.put("yardstick", !options.skipFloor());
        Properties p = run.streamsProperties();
        for (String key : List.of("processing.guarantee", "num.stream.threads", "statestore.cache.max.bytes")) {
            if (p.containsKey(key)) {
                s.put(key, String.valueOf(p.get(key)));
            }
        }
        s.put("commit.interval.ms", String.valueOf(effectiveCommitIntervalMs(p)));
        s.put("yardstick_commit_interval_ms", String.valueOf(yardstickCommitIntervalMs(run, p)));
        s.put("windows", topology.windows().stream().map(Object::toString).toList());
        s.put("update_interval", topology.updateInterval().toString());
        s.put("segment_partitions", topology.segmentPartitions());
        return s;
    }
}
