package org.retentionpulse.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.demo.LiveView;
import org.retentionpulse.app.pipeline.Pipeline;
import org.retentionpulse.app.pipeline.PipelineStartup;
import org.retentionpulse.app.pipeline.ServedPipeline;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.app.pipeline.TempDirectory;
import org.retentionpulse.schemas.serde.ChurnRiskAlertSerde;
import org.retentionpulse.schemas.serde.CohortCellSerde;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.tools.generator.EventGenerator;
import org.retentionpulse.tools.generator.GeneratorConfig;
import org.retentionpulse.tools.generator.KafkaEventSink;
import org.retentionpulse.tools.generator.TopicNames;
import org.retentionpulse.topology.TopologyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code retention-pulse demo}: the whole system on one machine. An embedded Kafka broker, the topics, the
 * pipeline with exactly-once, and a live synthetic population whose event time runs {@code --speedup} times
 * faster than the clock, shown as a live table until Ctrl-C.
 */
@Command(name = "demo",
        description = {"Runs the main job on an embedded Kafka broker: creates the topics, generates live events for a "
                + "synthetic customer population and shows the current metrics and the latest alerts until Ctrl-C.",
                "Needs nothing installed but Java 17. On a non-terminal stdout it prints a plain line per refresh."})
public final class DemoCommand implements Callable<Integer> {
    /** Simulated days after the backfill: at the default speed-up about 2.4 hours of demo. */
    private static final int LIVE_DAYS = 365;

    @Option(names = "--customers", defaultValue = "20000", description = "Size of the synthetic population.")
    int customers;

    @Option(names = "--speedup", defaultValue = "3600", description = "Event time runs this many times faster than the clock (3600 = an hour per second).")
    double speedup;

    @Option(names = "--backfill", defaultValue = "P60D", description = "History written as fast as the pipeline takes it before the live stream "
            + "starts at the current time, so every window has customers and values at once (ISO-8601; P60D: twice the longest default window; PT0S = start empty).")
    Duration backfill;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of the population.")
    long seed;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the input topics.")
    int partitions;

    @Option(names = "--refresh", defaultValue = "PT1S", description = "How often the view refreshes (plain output: every 5 refreshes).")
    Duration refresh;

    @Option(names = "--plain", description = "Print plain lines even on a terminal.")
    boolean plain;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port of /metrics, /health and /api (default: setting http.port, 8080; 0 = any free port).")
    String httpPort;

    @Override
    public Integer call() throws Exception {
        boolean terminal = !plain && System.console() != null;
        if (terminal) {
            Configurator.setRootLevel(Level.WARN);
        }
        Instant started = Instant.now();
        TempDirectory state = new TempDirectory("retention-pulse-demo-state");
        System.out.println("Starting an embedded Kafka broker (KRaft)...");
        // Simulated event time runs ahead of the clock; Kafka 4 rejects record timestamps over an hour in the future by default.
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().defaultPartitions(partitions)
                .brokerProperty("log.message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE)).start();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<StartedPipeline> startedRef = new AtomicReference<>();
        AtomicReference<EventGenerator> generatorRef = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnSignal(running, generatorRef, finished), "demo-shutdown"));
        try {
            StartedPipeline startedPipeline = PipelineStartup.start(
                    PipelineStartup.Request.of(Settings.load(null, System.getenv(), overrides(broker, state.path()))).served());
            startedRef.set(startedPipeline);
            ServedPipeline served = startedPipeline.served();
            System.out.println("Prometheus metrics: " + served.url() + "/metrics   API: " + served.url() + "/api/metrics/churn_rate?window=P30D/P1D"
                    + "   health: " + served.url() + "/health/ready");
            EventGenerator generator = population();
            generatorRef.set(generator);
            LiveInput input = startGenerator(generator, broker, running);
            TopologyConfig topology = startedPipeline.topology();
            List<String> windows = topology.windows().stream().map(Object::toString)
                    .sorted(Comparator.comparing(String::length).thenComparing(Comparator.naturalOrder())).toList();
            LiveView view = new LiveView(windows, topology.cohorts().period().name(), terminal, System.out);
            watch(broker, topology, view, running, served.pipeline(), input.eventsIn(), input.eventTime(), started, terminal);
        } finally {
            System.out.println("\nShutting down...");
            EventGenerator g = generatorRef.get();
            if (g != null) {
                g.stop();
            }
            StartedPipeline p = startedRef.get();
            if (p != null) {
                p.close(Duration.ofSeconds(10));
            }
            broker.close();
            state.close();
            System.out.println("Stopped.");
            finished.countDown();
        }
        return 0;
    }

    /** Ctrl-C or SIGTERM: stop the generator and give the main thread time to close everything in order. */
    private static void stopOnSignal(AtomicBoolean running, AtomicReference<EventGenerator> generator, CountDownLatch finished) {
        running.set(false);
        EventGenerator g = generator.get();
        if (g != null) {
            g.stop();
        }
        try {
            finished.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The demo's settings over the user's (environment, defaults): the embedded broker and its own topics. */
    private Map<String, String> overrides(EmbeddedKafkaBroker broker, Path stateDir) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        overrides.put(AppDefaults.APPLICATION_ID, "retention-pulse-demo");
        overrides.put(AppDefaults.STATE_DIR, stateDir.toString());
        overrides.put(AppDefaults.HTTP_PORT, httpPort);
        // The demo's topics: LogAppendTime inputs, because the generator stamps records with simulated event time
        // (useless for latency), which also runs ahead of the clock: no limit on times from the future.
        overrides.put(AppDefaults.TOPICS_PARTITIONS, Integer.toString(partitions));
        overrides.put(AppDefaults.TOPICS_REPLICATION_FACTOR, "1");
        overrides.put(AppDefaults.TOPICS_INPUT_TIMESTAMP_TYPE, "LogAppendTime");
        overrides.put(AppDefaults.INPUT_MAX_FUTURE, "P36500D");
        return overrides;
    }

    /**
     * The population starts backfill ago and its history is written at once: every window has customers active at
     * its start (churn rate, retention, CLV defined) from the first seconds; then time runs live. 30% of the
     * population signs up on the first day, the rest over the backfill and a simulated year after it.
     */
    private EventGenerator population() {
        EventGenerator generator = EventGenerator.create(GeneratorConfig.builder().seed(seed).customers(customers)
                .days((int) backfill.toDays() + LIVE_DAYS).live(true).speedup(speedup).backfill(backfill).build());
        System.out.println("Pipeline started; " + customers + " customers: writing their last " + backfill.toDays()
                + " days of history at once, then live from now at " + speedup + "x real time...");
        return generator;
    }

    /** What the generator thread has written so far, for the view. */
    private record LiveInput(AtomicLong eventsIn, AtomicReference<Instant> eventTime) {
    }

    private static LiveInput startGenerator(EventGenerator generator, EmbeddedKafkaBroker broker, AtomicBoolean running) {
        LiveInput input = new LiveInput(new AtomicLong(), new AtomicReference<>());
        Thread producerThread = new Thread(() -> {
            try (KafkaEventSink sink = KafkaEventSink.create(broker.bootstrapServers(), TopicNames.DEFAULTS, WireFormat.AVRO, Map.of())) {
                generator.writeTo(sink, p -> {
                    input.eventsIn().set(p.eventsWritten());
                    input.eventTime().set(p.eventTime());
                });
            } catch (Exception e) {
                if (running.get()) {
                    System.err.println("generator stopped: " + e);
                }
            }
        }, "demo-generator");
        producerThread.setDaemon(true);
        producerThread.start();
        return input;
    }

    private void watch(EmbeddedKafkaBroker broker, TopologyConfig topology, LiveView view, AtomicBoolean running,
                       Pipeline pipeline, AtomicLong eventsIn, AtomicReference<Instant> eventTime, Instant started,
                       boolean terminal) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        MetricUpdateSerde metrics = new MetricUpdateSerde();
        ChurnRiskAlertSerde alerts = new ChurnRiskAlertSerde();
        CohortCellSerde cohorts = new CohortCellSerde();
        String header = "broker " + broker.bootstrapServers();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (String topic : List.of(topology.topics().metricUpdates(), topology.topics().alerts(), topology.topics().cohorts())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            long nextRender = 0;
            int renders = 0;
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topology.topics().metricUpdates())) {
                        view.accept(metrics.decode(r.value()));
                    } else if (r.topic().equals(topology.topics().cohorts())) {
                        view.accept(cohorts.decode(r.value()));
                    } else {
                        view.accept(alerts.decode(r.value()));
                    }
                }
                if (System.nanoTime() >= nextRender) {
                    if (terminal || renders % 5 == 0) {
                        view.render(header, eventTime.get(), eventsIn.get(), pipeline.rejections(), Duration.between(started, Instant.now()));
                    }
                    renders++;
                    nextRender = System.nanoTime() + refresh.toNanos();
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // Ctrl-C: the shutdown hook interrupted us
        }
    }

}
