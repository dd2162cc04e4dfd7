package org.retentionpulse.topology.serde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.retentionpulse.schemas.StreamTimeTick;
import org.retentionpulse.schemas.serde.EventSerde;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.schemas.serde.WireFormat;

/**
 * Reads input records: a {@link StreamTimeTick} control record when the header {@value #CONTROL_HEADER}
 * says {@value #TICK} or {@value #END_OF_INPUT}, otherwise one of the four customer events (Avro single-object or JSON, detected per
 * record) validated against the spec's rules, and neither too far in the future ({@link FutureEventGuard}). Anything else throws, which routes the record to the
 * dead-letter topic through the deserialization exception handler.
 */
public final class InputEventDeserializer implements Deserializer<SpecificRecord> {
    public static final String CONTROL_HEADER = "retention-pulse.control";
    public static final String TICK = "tick";
    /** Like {@value #TICK}, marking the end of a finite input (see {@link StreamTimeTick#getEndOfInput()}). */
    public static final String END_OF_INPUT = "end-of-input";

    private final Deserializer<SpecificRecord> events;
    private final FutureEventGuard future;

    public InputEventDeserializer(String reportingCurrency, FutureEventGuard future) {
        this.events = new EventSerde(WireFormat.AVRO, reportingCurrency).deserializer();
        this.future = future;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        events.configure(configs, isKey);
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        return checked(events.deserialize(topic, data));
    }

    @Override
    public SpecificRecord deserialize(String topic, Headers headers, byte[] data) {
        Header control = headers == null ? null : headers.lastHeader(CONTROL_HEADER);
        String kind = control == null || control.value() == null ? null : new String(control.value(), StandardCharsets.UTF_8);
        if (TICK.equals(kind) || END_OF_INPUT.equals(kind)) {
            if (data == null || data.length != Long.BYTES) {
                throw new SerializationException("tick control record must carry 8 bytes of epoch millis");
            }
            long at = ByteBuffer.wrap(data).getLong();
            // An end-of-input tick is written by replay and tests past the last event on purpose, to close every window.
            if (TICK.equals(kind)) {
                future.check(at, "tick");
            }
            return new StreamTimeTick(Instant.ofEpochMilli(at), END_OF_INPUT.equals(kind));
        }
        return checked(events.deserialize(topic, data));
    }

    private SpecificRecord checked(SpecificRecord event) {
        future.check(EventType.occurredAtMillis(event), "occurred_at");
        return event;
    }

    /** The value of a tick control record. */
    public static byte[] tickValue(long epochMillis) {
        return ByteBuffer.allocate(Long.BYTES).putLong(epochMillis).array();
    }
}
