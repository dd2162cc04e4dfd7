package org.retentionpulse.schemas.serde;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of the input events ({@link org.retentionpulse.schemas.Signup}, {@link org.retentionpulse.schemas.Purchase},
 * {@link org.retentionpulse.schemas.Cancellation}, {@link org.retentionpulse.schemas.SurveyResponse}).
 *
 * <p>The serializer writes the configured {@link WireFormat}. The deserializer detects the format of each
 * record (the Avro single-object marker, otherwise JSON), checks it with {@link EventRules} and returns
 * only one of the four event classes; anything else, including an empty or null value, throws
 * {@link InvalidEventException}, which the deserialization exception handler routes to the dead-letter topic.
 *
 * <p>Reads {@link WireFormatConfig#WIRE_FORMAT_CONFIG} and {@link WireFormatConfig#REPORTING_CURRENCY_CONFIG}
 * in {@link #configure}; keys present there override the constructor's choice. Thread-safe.
 */
public final class EventSerde implements Serde<SpecificRecord> {

    private volatile WireFormat wireFormat;
    private volatile String reportingCurrency;

    /** Avro on write, reporting currency EUR, unless configured otherwise. */
    public EventSerde() {
        this(WireFormatConfig.DEFAULT_WIRE_FORMAT, WireFormatConfig.DEFAULT_REPORTING_CURRENCY);
    }

    public EventSerde(WireFormat wireFormat, String reportingCurrency) {
        this.wireFormat = Objects.requireNonNull(wireFormat, "wireFormat");
        this.reportingCurrency = Objects.requireNonNull(reportingCurrency, "reportingCurrency");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        wireFormat = WireFormatConfig.wireFormat(configs, wireFormat);
        reportingCurrency = WireFormatConfig.reportingCurrency(configs, reportingCurrency);
    }

    /** The format the serializer writes. */
    public WireFormat wireFormat() {
        return wireFormat;
    }

    /** The only currency the deserializer accepts on a purchase. */
    public String reportingCurrency() {
        return reportingCurrency;
    }

    /**
     * Decodes and validates one record value.
     *
     * @throws InvalidEventException if the value is empty, undecodable, not an event or breaks a rule
     */
    public SpecificRecord decode(byte[] data) {
        if (data == null || data.length == 0) {
            throw new InvalidEventException(RejectReason.EMPTY_RECORD,
                data == null ? "record has no value (null)" : "record value is empty");
        }
        if (!SingleObjectAvro.isSingleObject(data)) {
            return CanonicalJson.parseEvent(data, reportingCurrency);
        }
        SpecificRecord record = SingleObjectAvro.decode(data);
        EventRules.validate(record, reportingCurrency);
        return record;
    }

    /** Encodes one event in the configured wire format; {@code null} stays {@code null}. */
    public byte[] encode(SpecificRecord event) {
        if (event == null) {
            return null;
        }
        if (!EventType.isEvent(event)) {
            throw new IllegalArgumentException("Not an event record: " + event.getSchema().getFullName());
        }
        return wireFormat == WireFormat.AVRO
            ? SingleObjectAvro.encode(event)
            : CanonicalJson.formatEvent(event).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Serializer<SpecificRecord> serializer() {
        return new Serializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                EventSerde.this.configure(configs, isKey);
            }

            @Override
            public byte[] serialize(String topic, SpecificRecord event) {
                return encode(event);
            }
        };
    }

    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                EventSerde.this.configure(configs, isKey);
            }

            @Override
            public SpecificRecord deserialize(String topic, byte[] data) {
                return decode(data);
            }
        };
    }
}
