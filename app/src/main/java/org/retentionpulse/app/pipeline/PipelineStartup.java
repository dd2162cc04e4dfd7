package org.retentionpulse.app.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KafkaStreams;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.topology.TopologyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every command ({@code run}, {@code demo}, {@code replay}, {@code bench}) starts the pipeline:
 * settings -> topics (missing ones created, the input partition count read) -> the built-for check (refuses state
 * built for other settings) -> the deleted-history check (before Kafka Streams moves any position) -> Kafka Streams
 * started, with the HTTP server and meters when served -> optionally, waiting until it is RUNNING.
 */
public final class PipelineStartup {
    private static final Logger log = LoggerFactory.getLogger(PipelineStartup.class);
    private static final Set<KafkaStreams.State> FAILED =
            Set.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING);

    private PipelineStartup() {
    }

    /**
     * What to start.
     *
     * @param settings the layered settings (bootstrap servers required)
     * @param topology applied to the topology the settings describe, e.g. a replay's own topic names
     * @param serve whether to serve HTTP (health, {@code /metrics}, API) with the meters and the output monitor
     * @param extraStreamsProperties Kafka Streams properties of this start (before {@code streams.*} settings)
     * @param readyWithin how long to wait for Kafka Streams to be RUNNING; null: do not wait
     */
    public record Request(Settings settings, UnaryOperator<TopologyConfig> topology, boolean serve,
                          Map<String, Object> extraStreamsProperties, Duration readyWithin) {
        public static Request of(Settings settings) {
            return new Request(settings, UnaryOperator.identity(), false, Map.of(), null);
        }

        public Request adjusting(UnaryOperator<TopologyConfig> adjust) {
            return new Request(settings, adjust, serve, extraStreamsProperties, readyWithin);
        }

        public Request served() {
            return new Request(settings, topology, true, extraStreamsProperties, readyWithin);
        }

        public Request withStreamsProperties(Map<String, Object> extra) {
            return new Request(settings, topology, serve, Map.copyOf(extra), readyWithin);
        }

        public Request awaitingReady(Duration within) {
            return new Request(settings, topology, serve, extraStreamsProperties, within);
        }
    }

    /**
     * Starts the pipeline as {@code request} says.
     *
     * @throws IllegalStateException when the topics cannot be provisioned, the state was built for other settings,
     *     or Kafka Streams fails or is not RUNNING within {@link Request#readyWithin()}
     */
    public static StartedPipeline start(Request request) throws IOException, InterruptedException {
        Settings settings = request.settings();
        settings.get(AppDefaults.BOOTSTRAP_SERVERS);
        PipelineSettings ps = new PipelineSettings(settings);
        String applicationId = settings.get(AppDefaults.APPLICATION_ID);
        short replication = (short) settings.getInt(AppDefaults.TOPICS_REPLICATION_FACTOR);
        TopologyConfig topology;
        try (TopicProvisioner topics = new TopicProvisioner(ps.clientProperties())) {
            TopologyConfig draft = request.topology().apply(ps.topology(1));
            if (settings.getBoolean(AppDefaults.TOPICS_CREATE)) {
                topics.createMissing(draft.topics(), settings.getInt(AppDefaults.TOPICS_PARTITIONS), replication,
                        settings.get(AppDefaults.TOPICS_INPUT_TIMESTAMP_TYPE));
            }
            topology = request.topology().apply(ps.topology(topics.inputPartitions(draft.topics().inputs())));
            new BuiltForCheck(ps.clientProperties(), applicationId).verify(topics, replication, BuiltFor.of(topology));
        }
        DeletedHistoryWatch watch = new DeletedHistoryWatch(ps.clientProperties(), applicationId, topology.topics().inputs());
        try {
            watch.start();
            StartedPipeline started = request.serve()
                    ? served(ps, topology, request.extraStreamsProperties(), watch)
                    : new StartedPipeline(new Pipeline(topology, ps.streamsProperties(topology, request.extraStreamsProperties())).start(),
                            null, topology, watch);
            if (request.readyWithin() != null) {
                awaitRunning(started, request.readyWithin());
            }
            return started;
        } catch (IOException | RuntimeException | InterruptedException e) {
            watch.close();
            throw e;
        }
    }

    private static StartedPipeline served(PipelineSettings ps, TopologyConfig topology, Map<String, Object> extra,
                                          DeletedHistoryWatch watch) throws IOException {
        ServedPipeline served = ServedPipeline.start(ps, topology, extra);
        FunctionCounter.builder("retention.pulse.deleted.before.processing", watch, DeletedHistoryWatch::deletedUnprocessed)
                .description("Input records deleted (retention, delete-records) before this application processed them")
                .register(served.registry());
        return new StartedPipeline(served.pipeline(), served, topology, watch);
    }

    private static void awaitRunning(StartedPipeline started, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (started.pipeline().state() != KafkaStreams.State.RUNNING) {
            KafkaStreams.State state = started.pipeline().state();
            if (FAILED.contains(state) || System.nanoTime() > deadline) {
                started.close(Duration.ofSeconds(10));
                throw new IllegalStateException("Kafka Streams is " + state + (FAILED.contains(state) ? "" : " after " + within)
                        + " instead of RUNNING (see the log)");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        log.info("Pipeline RUNNING");
    }
}
