package org.retentionpulse.app.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Runs the bench's two plain Kafka Streams apps on the pipeline's input topics, each from a cold start with its
 * own application id and output topic: {@link PassthroughApp} and {@link FloorApp}. They get the pipeline's
 * processing guarantee and commit interval and Kafka Streams' defaults for everything else (one stream thread,
 * the default record cache), so the pipeline is compared with what Kafka Streams does for the same input under
 * the same guarantee.
 */
final class Yardstick {
    /** Passthrough and floor of one bench run. */
    record Result(ColdRun.Result passthrough, ColdRun.Result floor) {
    }

    private final Admin admin;
    private final Properties client;
    private final Map<String, Object> shared;
    private final ColdRun clock;
    private final PrintStream progress;

    /**
     * @param client the client properties (bootstrap servers, {@code kafka.*})
     * @param shared the Kafka Streams properties the yardstick shares with the pipeline (guarantee, commit interval,
     *               state directory, replication factor)
     */
    Yardstick(Admin admin, Properties client, Map<String, Object> shared, ColdRun clock, PrintStream progress) {
        this.admin = admin;
        this.client = client;
        this.shared = shared;
        this.clock = clock;
        this.progress = progress;
    }

    /** Application ids of the two apps of run {@code runId}, also the prefixes of their internal topics. */
    static String passthroughId(String runId) {
        return "bench-passthrough-" + runId;
    }

    static String floorId(String runId) {
        return "bench-floor-" + runId;
    }

    Result measure(String runId, List<String> inputs, int partitions, int segmentPartitions, short replication) throws Exception {
        String passthroughOut = runId + ".bench-passthrough";
        String floorOut = runId + ".bench-floor-segment-counts";
        admin.createTopics(List.of(new NewTopic(passthroughOut, partitions, replication), new NewTopic(floorOut, segmentPartitions, replication)))
                .all().get(60, TimeUnit.SECONDS);
        progress.println("Passthrough from a cold start (exactly-once, every input record to one topic)...");
        ColdRun.Result passthrough = run("passthrough", passthroughId(runId), PassthroughApp.topology(inputs, passthroughOut), List.of());
        progress.println("Floor from a cold start (exactly-once: per-customer count, one repartition record per event, per-segment count)...");
        String floorId = floorId(runId);
        ColdRun.Result floor = run("floor", floorId, FloorApp.topology(inputs, floorOut, segmentPartitions),
                List.of(FloorApp.repartitionTopic(floorId)));
        return new Result(passthrough, floor);
    }

    private ColdRun.Result run(String phase, String applicationId, Topology topology, List<String> internalTopics) throws Exception {
        Properties props = new Properties();
        props.putAll(client);
        props.putAll(shared);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        KafkaStreams streams = new KafkaStreams(topology, props);
        try {
            return clock.measure(phase, () -> {
                streams.start();
                return streams;
            }, applicationId, internalTopics, List.of(applicationId));
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(60)));
            streams.cleanUp();
        }
    }
}
