package org.retentionpulse.schemas.serde;

import org.retentionpulse.schemas.MetricUpdate;

/**
 * Serde of {@link MetricUpdate}: Avro single-object encoding by default, or the JSON form of spec
 * section 5 ({@link CanonicalJson#formatMetricUpdate}) when {@link WireFormatConfig#WIRE_FORMAT_CONFIG} is
 * {@code json}. The deserializer reads both. Thread-safe.
 */
public final class MetricUpdateSerde extends OutputRecordSerde<MetricUpdate> {

    /** Avro on write unless configured otherwise. */
    public MetricUpdateSerde() {
        this(WireFormatConfig.DEFAULT_WIRE_FORMAT);
    }

    public MetricUpdateSerde(WireFormat wireFormat) {
        super(MetricUpdate.class, wireFormat);
    }

    @Override
    String toJson(MetricUpdate update) {
        return CanonicalJson.formatMetricUpdate(update);
    }

    @Override
    MetricUpdate fromJson(String json) {
        return CanonicalJson.parseMetricUpdate(json);
    }
}
