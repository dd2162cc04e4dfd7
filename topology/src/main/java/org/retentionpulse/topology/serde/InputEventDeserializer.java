package org.retentionpulse.topology.serde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.retentionpulse.schemas.serde.EventSerde;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.event.CustomerEvent;
import org.retentionpulse.topology.event.InputRecord;
import org.retentionpulse.topology.event.Tick;

/**
 * Reads input records into {@link InputRecord}s, the only place they are decoded: a {@link Tick} when the
 * header {@value #CONTROL_HEADER} says {@value #TICK} or {@value #END_OF_INPUT}, otherwise one of the four
 * customer events (Avro single-object or JSON, detected per record), validated by {@link EventSerde} against
 * the spec's rules, checked against the tolerated future ({@link FutureEventGuard}) and mapped by {@link AvroEvents}. Anything else throws, which routes the record to the
 * dead-letter topic through the deserialization exception handler.
 */
public final class InputEventDeserializer implements Deserializer<InputRecord> {
    public static final String CONTROL_HEADER = "retention-pulse.control";
    public static final String TICK = "tick";
    /** Like {@value #TICK}, marking the end of a finite input (see {@link Tick#endOfInput()}). */
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
    public InputRecord deserialize(String topic, byte[] data) {
        return event(topic, data);
    }

    @Override
    public InputRecord deserialize(String topic, Headers headers, byte[] data) {
        String control = control(headers);
        if (TICK.equals(control) || END_OF_INPUT.equals(control)) {
            Tick tick = tick(data, END_OF_INPUT.equals(control));
            // An end-of-input tick is written by replay and tests past the last event on purpose, to close every window.
            if (!tick.endOfInput()) {
                future.check(tick.at(), "tick");
            }
            return tick;
        }
        return event(topic, data);
    }

    /** A validated customer event; throws {@code InvalidEventException} naming the rule it breaks. */
    private CustomerEvent event(String topic, byte[] data) {
        SpecificRecord event = events.deserialize(topic, data);
        future.check(EventType.occurredAtMillis(event), "occurred_at");
        return AvroEvents.fromAvro(event);
    }

    private static Tick tick(byte[] data, boolean endOfInput) {
        if (data == null || data.length != Long.BYTES) {
            throw new SerializationException("tick control record must carry 8 bytes of epoch millis");
        }
        return new Tick(ByteBuffer.wrap(data).getLong(), endOfInput);
    }

    private static String control(Headers headers) {
        Header control = headers == null ? null : headers.lastHeader(CONTROL_HEADER);
        return control == null || control.value() == null ? null : new String(control.value(), StandardCharsets.UTF_8);
    }

    /** The value of a tick control record. */
    public static byte[] tickValue(long epochMillis) {
        return ByteBuffer.allocate(Long.BYTES).putLong(epochMillis).array();
    }
}
