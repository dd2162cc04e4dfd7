package org.retentionpulse.app.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.retentionpulse.topology.serde.InputEventDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps stream time moving on quiet input partitions: every {@code interval} it writes a tick control record
 * (header {@code retention-pulse.control=tick}, value the instant {@code clock - lag}) to every partition of
 * one input topic. Each customer task reads one partition of every input topic, so one topic reaches every
 * task. Without it, a partition without events never closes its windows (the segment stage waits for the
 * slowest partition) and never finds its inactive customers.
 *
 * <p>A tick claims that no event older than {@code clock - lag - grace} will still arrive on time, so it is
 * for live input whose event time follows the clock: set {@code lag} to the producers' worst delay, and keep
 * the ticker off while backfilling old data (it would make the backfill late).
 */
public final class StreamTimeTicker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamTimeTicker.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final Duration lag;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stream-time-ticker");
        t.setDaemon(true);
        return t;
    });
    private long lastTick = Long.MIN_VALUE;

    public StreamTimeTicker(Properties clientProperties, String topic, Duration lag, Clock clock) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "retention-pulse-ticker");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.lag = lag;
        this.clock = clock;
    }

    public StreamTimeTicker start(Duration interval) {
        scheduler.scheduleAtFixedRate(this::tickSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Stream-time ticker on {}: every {}, at the clock minus {}", topic, interval, lag);
        return this;
    }

    /** Writes one tick to every partition; ticks never go back in time. */
    public void tick() {
        long at = Math.max(lastTick, clock.millis() - lag.toMillis());
        lastTick = at;
        byte[] value = InputEventDeserializer.tickValue(at);
        for (PartitionInfo p : producer.partitionsFor(topic)) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(InputEventDeserializer.CONTROL_HEADER, InputEventDeserializer.TICK.getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(topic, p.partition(), at, null, value, headers), (md, e) -> {
                if (e != null) {
                    log.warn("Tick to {}-{} failed: {}", topic, p.partition(), e.toString());
                }
            });
        }
        producer.flush();
        log.debug("Ticked {} at {}", topic, Instant.ofEpochMilli(at));
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Stream-time tick failed; retrying at the next interval: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
