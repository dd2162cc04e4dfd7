package org.retentionpulse.topology.serde;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.retentionpulse.schemas.serde.EventSerde;
import org.retentionpulse.topology.event.CustomerEvent;
import org.retentionpulse.topology.event.InputRecord;
import org.retentionpulse.topology.event.Tick;

/**
 * Serde of input records: reads with {@link InputEventDeserializer}; writes an event in the configured wire
 * format, a tick as its control record (8-byte value plus the control header).
 */
public final class InputRecordSerde implements Serde<InputRecord>, Serializer<InputRecord> {
    private final EventSerde events;
    private final InputEventDeserializer deserializer;

    public InputRecordSerde(EventSerde events, FutureEventGuard future) {
        this.events = events;
        this.deserializer = new InputEventDeserializer(events.reportingCurrency(), future);
    }

    /**
     * The serde of customer events alone, in the same wire format (the late-events topic). Its events passed the
     * future check when they were read from the input, so reading them back checks no clock.
     */
    public static Serde<CustomerEvent> events(EventSerde events) {
        InputEventDeserializer reader = new InputEventDeserializer(events.reportingCurrency(), FutureEventGuard.acceptingAny());
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(
                (topic, event) -> events.encode(event == null ? null : AvroEvents.toAvro(event)),
                (topic, data) -> (CustomerEvent) reader.deserialize(topic, data));
    }

    @Override
    public byte[] serialize(String topic, InputRecord record) {
        return serialize(topic, null, record);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, InputRecord record) {
        if (record instanceof Tick tick) {
            if (headers != null) {
                headers.add(InputEventDeserializer.CONTROL_HEADER, (tick.endOfInput() ? InputEventDeserializer.END_OF_INPUT
                        : InputEventDeserializer.TICK).getBytes(StandardCharsets.UTF_8));
            }
            return InputEventDeserializer.tickValue(tick.at());
        }
        return events.encode(record == null ? null : AvroEvents.toAvro((CustomerEvent) record));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        deserializer.configure(configs, isKey);
    }

    @Override
    public void close() {
    }

    @Override
    public Serializer<InputRecord> serializer() {
        return this;
    }

    @Override
    public Deserializer<InputRecord> deserializer() {
        return deserializer;
    }
}
