package org.retentionpulse.schemas.serde;

import org.retentionpulse.schemas.ChurnRiskAlert;

/**
 * Serde of {@link ChurnRiskAlert}: Avro single-object encoding by default, or the JSON form of
 * {@link CanonicalJson#formatAlert} when {@link WireFormatConfig#WIRE_FORMAT_CONFIG} is {@code json}.
 * The deserializer reads both. Thread-safe.
 */
public final class ChurnRiskAlertSerde extends OutputRecordSerde<ChurnRiskAlert> {

    /** Avro on write unless configured otherwise. */
    public ChurnRiskAlertSerde() {
        this(WireFormatConfig.DEFAULT_WIRE_FORMAT);
    }

    public ChurnRiskAlertSerde(WireFormat wireFormat) {
        super(ChurnRiskAlert.class, wireFormat);
    }

    @Override
    String toJson(ChurnRiskAlert alert) {
        return CanonicalJson.formatAlert(alert);
    }

    @Override
    ChurnRiskAlert fromJson(String json) {
        return CanonicalJson.parseAlert(json);
    }
}
