package org.retentionpulse.app.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * {@link KafkaStreams} client, with rejection counts per reason (logged every minute when they changed, and
 * at shutdown) and a clean, bounded shutdown.
 */
public final class Pipeline implements AutoCloseable {
    /** How often a changed rejection summary is logged while running. */
    static final Duration REJECTION_SUMMARY_INTERVAL = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final KafkaStreams streams;
    private final TopologyConfig topology;

    private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService summaries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retention-pulse-rejection-summary");
        t.setDaemon(true);
        return t;
    });
    private Map<String, Long> lastSummary = Map.of();

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
        long every = REJECTION_SUMMARY_INTERVAL.toMillis();
        summaries.scheduleAtFixedRate(this::logRejectionsIfChanged, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One log line with the rejection counts per reason, when they changed since the last one. */
    private synchronized void logRejectionsIfChanged() {
        Map<String, Long> now = rejections();
        if (!now.equals(lastSummary)) {
            log.info("Rejected input records to the dead-letter topic so far, by reason: {}", now);
            lastSummary = now;
        }
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
        summaries.shutdownNow();
        if (!streams.close(timeout)) {
            log.warn("Kafka Streams did not shut down within {}", timeout);
        }
        Map<String, Long> total = rejections();
        if (!total.isEmpty()) {
            log.info("Rejected input records to the dead-letter topic since start, by reason: {}", total);
        }
    }
}
