package org.retentionpulse.topology.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.retentionpulse.schemas.serde.InvalidEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' deserialization exception handler for input records that cannot be decoded or break a
 * rule of the spec: the record goes unchanged (raw key and value bytes, original headers) to the dead-letter
 * topic with headers naming the reason, source topic, partition, offset and time, and processing resumes.
 * Nothing is skipped silently: every rejection is logged and reported to the {@link RejectionListener}.
 *
 * <p>Configured through the streams properties: the dead-letter topic from
 * {@link StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}, the listener instance under
 * {@link #LISTENER_CONFIG}.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {
    public static final String LISTENER_CONFIG = "retention.pulse.rejection.listener";

    public static final String REASON_HEADER = "retention-pulse.reject.reason";
    public static final String MESSAGE_HEADER = "retention-pulse.reject.message";
    public static final String TOPIC_HEADER = "retention-pulse.source.topic";
    public static final String PARTITION_HEADER = "retention-pulse.source.partition";
    public static final String OFFSET_HEADER = "retention-pulse.source.offset";
    public static final String TIMESTAMP_HEADER = "retention-pulse.source.timestamp";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String deadLetterTopic;
    private RejectionListener listener = RejectionListener.NONE;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new IllegalArgumentException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " must name the dead-letter topic: rejected records are never dropped");
        }
        deadLetterTopic = topic.toString();
        if (configs.get(LISTENER_CONFIG) instanceof RejectionListener l) {
            listener = l;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = exception instanceof InvalidEventException invalid ? invalid.reason().code() : "undecodable";
        String message = String.valueOf(exception.getMessage());
        log.warn("Rejected record {}-{}@{} to {}: {} ({})", record.topic(), record.partition(), record.offset(),
                deadLetterTopic, reason, message);
        listener.rejected(reason, record.topic());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON_HEADER, utf8(reason));
        headers.add(MESSAGE_HEADER, utf8(message));
        headers.add(TOPIC_HEADER, utf8(record.topic()));
        headers.add(PARTITION_HEADER, utf8(Integer.toString(record.partition())));
        headers.add(OFFSET_HEADER, utf8(Long.toString(record.offset())));
        headers.add(TIMESTAMP_HEADER, utf8(Long.toString(record.timestamp())));
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, record.timestamp(), record.key(),
                record.value(), headers)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
