package org.retentionpulse.schemas.serde;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The common part of the serdes of the output records: the serializer writes the configured
 * {@link WireFormat}, the deserializer detects the format per record. Null stays null both ways, because a
 * null value is a legitimate tombstone on a compacted output topic.
 */
abstract class OutputRecordSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private volatile WireFormat wireFormat;

    OutputRecordSerde(Class<T> type, WireFormat wireFormat) {
        this.type = type;
        this.wireFormat = Objects.requireNonNull(wireFormat, "wireFormat");
    }

    abstract String toJson(T record);

    abstract T fromJson(String json);

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        wireFormat = WireFormatConfig.wireFormat(configs, wireFormat);
    }

    /** The format the serializer writes. */
    public WireFormat wireFormat() {
        return wireFormat;
    }

    /** Encodes one record in the configured wire format; {@code null} stays {@code null}. */
    public byte[] encode(T record) {
        if (record == null) {
            return null;
        }
        return wireFormat == WireFormat.AVRO
            ? SingleObjectAvro.encode(record)
            : toJson(record).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes one record value written in either format; {@code null} stays {@code null}.
     *
     * @throws InvalidEventException if the value is not a record of this serde's type
     */
    public T decode(byte[] data) {
        if (data == null) {
            return null;
        }
        if (!SingleObjectAvro.isSingleObject(data)) {
            return fromJson(new String(data, StandardCharsets.UTF_8));
        }
        SpecificRecord record = SingleObjectAvro.decode(data);
        if (!type.isInstance(record)) {
            throw new InvalidEventException(RejectReason.UNKNOWN_TYPE, "expected a " + type.getSimpleName()
                + ", got a " + record.getSchema().getName());
        }
        return type.cast(record);
    }

    @Override
    public Serializer<T> serializer() {
        return new Serializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                OutputRecordSerde.this.configure(configs, isKey);
            }

            @Override
            public byte[] serialize(String topic, T record) {
                return encode(record);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                OutputRecordSerde.this.configure(configs, isKey);
            }

            @Override
            public T deserialize(String topic, byte[] data) {
                return decode(data);
            }
        };
    }
}
