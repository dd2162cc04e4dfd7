package org.retentionpulse.tools.generator;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.schemas.serde.SingleObjectAvro;
import org.retentionpulse.schemas.serde.WireFormat;

/**
 * Produces events to Kafka: keyed by {@code customer_id}, one topic per event type (or one for all, see
 * {@link TopicNames}), record timestamp = {@code occurred_at}, value in Avro single-object encoding or
 * canonical JSON. An event with a {@link GeneratedEvent#rawLine() raw line} is sent as that line's UTF-8
 * bytes in either format, so the pipeline sees a record it cannot decode.
 *
 * <p>Sends are asynchronous; the first failed send is rethrown (as a {@link KafkaException}) by the next
 * {@link #write}, {@link #flush()} or {@link #close()}.
 */
public final class KafkaEventSink implements EventSink {

    private final Producer<String, byte[]> producer;
    private final TopicNames topics;
    private final WireFormat format;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** A sink over {@code producer}, which it closes when closed. */
    public KafkaEventSink(final Producer<String, byte[]> producer, final TopicNames topics, final WireFormat format) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.format = Objects.requireNonNull(format, "format");
    }

    /**
     * A sink with its own idempotent producer ({@link #producerConfig}).
     *
     * @param overrides producer settings that win over the defaults, e.g. {@code client.id}
     */
    public static KafkaEventSink create(final String bootstrapServers, final TopicNames topics,
                                        final WireFormat format, final Map<String, Object> overrides) {
        return new KafkaEventSink(new KafkaProducer<>(producerConfig(bootstrapServers, overrides),
                new StringSerializer(), new ByteArraySerializer()), topics, format);
    }

    /**
     * The producer settings: idempotent (so retries never duplicate an event; duplicates come only from
     * {@link Fault#DUPLICATE}), {@code acks=all}, lz4, 10 ms linger and 128 KiB batches for throughput, one request
     * in flight per connection, then {@code overrides}. Why one: the sink often writes to topics created a moment
     * before, and with several requests in flight a broker that has just applied the topic's creation can append a
     * later request while an earlier one failed with NOT_LEADER_OR_FOLLOWER; the earlier one then fails with
     * OUT_OF_ORDER_SEQUENCE_NUMBER on every retry until it expires (KAFKA-15591, seen here on 4.4.0).
     */
    public static Map<String, Object> producerConfig(final String bootstrapServers, final Map<String, Object> overrides) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "retention-pulse-generator");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.putAll(overrides);
        return config;
    }

    @Override
    public void write(final GeneratedEvent event) {
        throwIfFailed();
        final String topic = topics.topicFor(EventType.of(event.record()));
        producer.send(new ProducerRecord<>(topic, null, event.occurredAt().toEpochMilli(), event.customerId(),
                value(event)), (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    }
                });
    }

    private byte[] value(final GeneratedEvent event) {
        if (event.rawLine().isPresent()) {
            return event.rawLine().get().getBytes(StandardCharsets.UTF_8);
        }
        return format == WireFormat.AVRO
                ? SingleObjectAvro.encode(event.record())
                : CanonicalJson.formatEvent(event.record()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            producer.close();
        }
    }

    private void throwIfFailed() {
        final Exception cause = failure.get();
        if (cause != null) {
            throw new KafkaException("sending generated events failed: " + cause.getMessage(), cause);
        }
    }
}
