package org.retentionpulse.schemas.serde;

import org.retentionpulse.schemas.MetricAlert;

/**
 * Serde of {@link MetricAlert}: Avro single-object encoding by default, or the JSON form of
 * {@link CanonicalJson#formatMetricAlert} when {@link WireFormatConfig#WIRE_FORMAT_CONFIG} is {@code json}.
 * The deserializer reads both. Thread-safe.
 */
public final class MetricAlertSerde extends OutputRecordSerde<MetricAlert> {

    /** Avro on write unless configured otherwise. */
    public MetricAlertSerde() {
        this(WireFormatConfig.DEFAULT_WIRE_FORMAT);
    }

    public MetricAlertSerde(WireFormat wireFormat) {
        super(MetricAlert.class, wireFormat);
    }

    @Override
    String toJson(MetricAlert alert) {
        return CanonicalJson.formatMetricAlert(alert);
    }

    @Override
    MetricAlert fromJson(String json) {
        return CanonicalJson.parseMetricAlert(json);
    }
}
