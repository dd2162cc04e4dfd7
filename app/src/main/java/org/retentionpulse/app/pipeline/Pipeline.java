package org.retentionpulse.app.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.retentionpulse.topology.RetentionPulseTopology;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.errors.DeadLetterHandler;
import org.retentionpulse.topology.errors.RejectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the Retention Pulse topology: the wiring of {@link RetentionPulseTopology} to a
 * {@link KafkaStreams} client, with rejection counts and a clean, bounded shutdown.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final KafkaStreams streams;
    private final TopologyConfig topology;
    private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();

    public Pipeline(TopologyConfig topology, Properties streamsProperties) {
        this.topology = topology;
        Properties props = new Properties();
        props.putAll(streamsProperties);
        props.put(DeadLetterHandler.LISTENER_CONFIG, (RejectionListener) (reason, topic) ->
                rejections.computeIfAbsent(reason, r -> new LongAdder()).increment());
        this.streams = new KafkaStreams(RetentionPulseTopology.build(topology), props);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; replacing it (state is restored from the changelogs)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> log.info("Kafka Streams state {} -> {}", before, now));
    }

    public Pipeline start() {
        streams.start();
        return this;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public TopologyConfig topology() {
        return topology;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Rejected input records by reason since start. */
    public Map<String, Long> rejections() {
        Map<String, Long> out = new java.util.TreeMap<>();
        rejections.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Rejected input records with reason code {@code reason} since start. */
    public long rejected(String reason) {
        LongAdder count = rejections.get(reason);
        return count == null ? 0 : count.sum();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration timeout) {
        if (!streams.close(timeout)) {
            log.warn("Kafka Streams did not shut down within {}", timeout);
        }
    }
}
