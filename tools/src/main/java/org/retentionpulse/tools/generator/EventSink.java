package org.retentionpulse.tools.generator;

/**
 * Where {@link EventGenerator#writeTo} puts events: a JSON Lines file ({@link JsonLinesSink}) or Kafka
 * topics ({@link KafkaEventSink}). Failures are unchecked ({@link java.io.UncheckedIOException},
 * {@link org.apache.kafka.common.KafkaException}).
 */
public interface EventSink extends AutoCloseable {

    /** Writes one event; a sink may buffer it. */
    void write(GeneratedEvent event);

    /** Makes everything written so far durable (on disk, or acknowledged by the broker). */
    void flush();

    /** Flushes and releases the sink's resources. */
    @Override
    void close();
}
