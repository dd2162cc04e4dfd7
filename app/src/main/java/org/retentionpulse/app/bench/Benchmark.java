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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.pipeline.ApplicationLag;
import org.retentionpulse.app.pipeline.Pipeline;
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
 *       generator's next events), every output's append time minus its source timestamp.</li>
 * </ol>
 */
public final class Benchmark {
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The generator is sized for this many times the pre-loaded events; the rest feeds the latency phase. */
    private static final double GENERATED_MARGIN = 1.2;

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
            Path appStateDir = stateRoot.resolve(applicationId);
            List<String> inputs = topology.topics().inputs();
            String repartition = ApplicationLag.segmentDeltasTopic(applicationId);

            try (TopicProvisioner topics = new TopicProvisioner(client)) {
                Admin admin = topics.admin();
                topics.createMissing(topology.topics(), options.partitions(),
                        (short) pipelineSettings.settings().getInt(AppDefaults.TOPICS_REPLICATION_FACTOR), "LogAppendTime");

                // 1. Pre-load.
                EventGenerator generator = EventGenerator.create(generatorConfig());
                TopicNames topicNames = topicNames(inputs);
                long customersSeen;
                try (KafkaEventSink sink = KafkaEventSink.create(bootstrap, topicNames, WireFormat.AVRO, producerOverrides(client, 20))) {
                    customersSeen = preload(generator, sink);
                }
                Map<TopicPartition, Long> inputEnds = ApplicationLag.endOffsets(admin, inputs);

                // 2.-4. Raw consume, pipeline, raw consume.
                List<Double> raw = new ArrayList<>();
                List<Double> rawPerCpu = new ArrayList<>();
                raw.add(rawConsume(client, inputs, inputEnds, 1, rawPerCpu));
                Streams streamsProps = new Streams(pipelineSettings, topology);
                progress.println("Pipeline from a cold start (exactly-once, all metrics and alerts)...");
                Pipeline pipeline = new Pipeline(topology, streamsProps.properties());
                long started = System.nanoTime();
                pipeline.start();
                long running = awaitRunning(pipeline, started);
                long cpuAtRunning = ThreadCpu.nanos(applicationId);
                awaitCommitted(admin, applicationId, inputs, repartition, "pipeline");
                long done = System.nanoTime();
                double pipelineCpuSeconds = (ThreadCpu.nanos(applicationId) - cpuAtRunning) / 1e9;
                closeLeavingGroup(pipeline);
                double startupSeconds = (running - started) / 1e9;
                double processingSeconds = (done - running) / 1e9;
                double pipelineRate = options.events() / processingSeconds;
                progress.printf(Locale.ROOT, "  pipeline: %,d events in %.1f s after %.1f s startup: %,.0f events/s%n",
                        options.events(), processingSeconds, startupSeconds, pipelineRate);
                raw.add(rawConsume(client, inputs, inputEnds, 2, rawPerCpu));
                double rawRate = raw.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double rawPerCpuRate = rawPerCpu.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                progress.printf(Locale.ROOT, "  per CPU second: raw consume %,.0f events, pipeline %,.0f events (%.1f CPU s in the pipeline's threads)%n",
                        rawPerCpuRate, options.events() / pipelineCpuSeconds, pipelineCpuSeconds);

                // 5. State size, restore.
                Map<String, Long> disk = StateFootprint.diskBytesByStore(appStateDir);
                progress.println("Reading the changelogs for the live state size...");
                Map<String, Long> live = StateFootprint.liveChangelogBytesByStore(admin, client, applicationId);
                Double restoreSeconds = null;
                Long restoredRecords = null;
                if (!options.skipRestore()) {
                    progress.println("Wiping the state directory and restarting: restore from the changelogs...");
                    deleteRecursively(appStateDir);
                }
                RestoreWatch restore = new RestoreWatch();
                pipeline = new Pipeline(topology, streamsProps.properties());
                pipeline.streams().setGlobalStateRestoreListener(restore);
                long restartAt = System.nanoTime();
                pipeline.start();
                awaitRestored(pipeline, restore, restartAt);
                if (!options.skipRestore()) {
                    restoreSeconds = (System.nanoTime() - restartAt) / 1e9;
                    restoredRecords = restore.restored.get();
                    progress.printf(Locale.ROOT, "  restored %,d records in %.1f s%n", restoredRecords, restoreSeconds);
                }

                // 6. Latency.
                BenchResult.Latency latency = null;
                try {
                    if (!options.skipLatency()) {
                        latency = latency(generator, bootstrap, client, topology, pipelineRate, admin, applicationId, inputs, repartition);
                    }
                } finally {
                    closeLeavingGroup(pipeline);
                }
                if (options.bootstrapServers() != null) {
                    deleteRunTopics(admin, runId, applicationId);
                }
                double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                return new BenchResult(options.events(), customersSeen, options.customers(), options.partitions(), raw, rawRate,
                        pipelineRate, options.events() / (processingSeconds + startupSeconds), startupSeconds, processingSeconds,
                        rawPerCpuRate, options.events() / pipelineCpuSeconds,
                        latency, disk, live, restoreSeconds, restoredRecords, machine(loadBefore, loadAfter),
                        settingsJson(streamsProps, topology));
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (tempState != null) {
                tempState.close();
            }
        }
    }

    /** The Kafka Streams properties of both pipeline starts (the same, so the restart restores the same stores). */
    private record Streams(PipelineSettings settings, TopologyConfig topology) {
        Properties properties() {
            return settings.streamsProperties(topology, Map.of());
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

    private BenchResult.Latency latency(EventGenerator generator, String bootstrap, Properties client, TopologyConfig topology,
                                        double pipelineRate, Admin admin, String applicationId, List<String> inputs,
                                        String repartition) throws Exception {
        double rate = options.latencyLoad() * pipelineRate;
        progress.printf(Locale.ROOT, "Latency: %,.0f events/s (%.0f %% of the pipeline rate) for %d s...%n", rate,
                100 * options.latencyLoad(), options.latencySeconds());
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(topology.topics().metricUpdates(), "metric_updates");
        outputs.put(topology.topics().alerts(), "alerts");
        long produced = 0;
        double seconds;
        Map<String, LatencyStats> stats;
        long withoutHeader;
        try (LatencyProbe probe = new LatencyProbe(client, new ArrayList<>(outputs.keySet()));
             KafkaEventSink sink = KafkaEventSink.create(bootstrap, topicNames(inputs), WireFormat.AVRO, producerOverrides(client, 0))) {
            probe.sampleFrom(System.currentTimeMillis());
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(options.latencySeconds());
            long lastReport = start;
            double nanosPerEvent = 1e9 / rate;
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
                    lastReport = now;
                    progress.printf(Locale.ROOT, "  latency: %,d events produced, outputs sampled %s%n", produced, probe.counts());
                }
            }
            sink.flush();
            seconds = (System.nanoTime() - start) / 1e9;
            if (!generator.hasNext()) {
                progress.printf(Locale.ROOT, "  the generated stream ended after %.1f s of the latency phase%n", seconds);
            }
            awaitCommitted(admin, applicationId, inputs, repartition, "latency drain");
            awaitQuiet(probe);
            stats = probe.stop();
            withoutHeader = probe.outputsWithoutHeader();
        }
        Map<String, BenchResult.Summary> byOutput = new LinkedHashMap<>();
        LatencyStats all = new LatencyStats();
        stats.forEach((topic, s) -> {
            byOutput.put(outputs.get(topic), BenchResult.Summary.of(s));
            all.addAll(s);
        });
        return new BenchResult.Latency(rate, options.latencyLoad(), produced, seconds, byOutput, BenchResult.Summary.of(all), withoutHeader);
    }

    /** Waits until the output counts have not changed for two seconds (coalesced updates come up to a second after their input). */
    private void awaitQuiet(LatencyProbe probe) throws InterruptedException {
        Map<String, Integer> last = probe.counts();
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - stableSince < TimeUnit.SECONDS.toNanos(2) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            Map<String, Integer> now = probe.counts();
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
    }

    private long awaitRunning(Pipeline pipeline, long since) throws InterruptedException {
        long deadline = since + options.timeout().toNanos();
        while (pipeline.state() != KafkaStreams.State.RUNNING) {
            if (pipeline.state() == KafkaStreams.State.ERROR || pipeline.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the pipeline stopped: " + pipeline.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline was not RUNNING within " + options.timeout());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return System.nanoTime();
    }

    /** RUNNING, and every restoration that started has ended. */
    private void awaitRestored(Pipeline pipeline, RestoreWatch restore, long since) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (true) {
            awaitRunning(pipeline, since);
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

    /** Waits until the application's committed offsets reach the end of its input topics and of the repartition topic. */
    private void awaitCommitted(Admin admin, String applicationId, List<String> inputs, String repartition, String phase) throws Exception {
        List<String> topics = new ArrayList<>(inputs);
        topics.add(repartition);
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long lastReport = System.nanoTime();
        ApplicationLag lag = new ApplicationLag(admin, applicationId);
        while (true) {
            Map<String, Long> behind = lag.behindByTopic(topics);
            long repartitionBehind = behind.get(repartition);
            long inputBehind = behind.values().stream().mapToLong(Long::longValue).sum() - repartitionBehind;
            if (inputBehind == 0 && repartitionBehind == 0) {
                return;
            }
            if (System.nanoTime() - lastReport > REPORT_NANOS) {
                lastReport = System.nanoTime();
                progress.printf(Locale.ROOT, "  %s: %,d input records and %,d segment deltas still to process%n", phase, inputBehind, repartitionBehind);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(phase + " did not finish within " + options.timeout() + " (raise --timeout)");
            }
            TimeUnit.MILLISECONDS.sleep(100);
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

    private static void deleteRunTopics(Admin admin, String runId, String applicationId) throws Exception {
        List<String> ours = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(runId + ".") || t.startsWith(applicationId + "-")).toList();
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

    private Map<String, Object> settingsJson(Streams streams, TopologyConfig topology) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seed", options.seed());
        s.put("latency_load", options.latencyLoad());
        s.put("latency_seconds", options.latencySeconds());
        s.put("broker", options.bootstrapServers() == null ? "embedded" : "external");
        Properties p = streams.properties();
        for (String key : List.of("processing.guarantee", "num.stream.threads", "commit.interval.ms", "statestore.cache.max.bytes")) {
            if (p.containsKey(key)) {
                s.put(key, String.valueOf(p.get(key)));
            }
        }
        s.put("windows", topology.windows().stream().map(Object::toString).toList());
        s.put("update_interval", topology.updateInterval().toString());
        s.put("segment_partitions", topology.segmentPartitions());
        return s;
    }
}
