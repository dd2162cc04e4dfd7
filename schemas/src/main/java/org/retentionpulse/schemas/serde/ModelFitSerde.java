package org.retentionpulse.schemas.serde;

import org.retentionpulse.schemas.ModelFit;

/**
 * Serde of {@link ModelFit} (topic {@code retention-model}): Avro single-object encoding by default, or the JSON
 * form of {@link CanonicalJson#formatModelFit} when {@link WireFormatConfig#WIRE_FORMAT_CONFIG} is {@code json}.
 * The deserializer reads both. Thread-safe.
 */
public final class ModelFitSerde extends OutputRecordSerde<ModelFit> {

    public ModelFitSerde(WireFormat wireFormat) {
        super(ModelFit.class, wireFormat);
    }

    @Override
    String toJson(ModelFit fit) {
        return CanonicalJson.formatModelFit(fit);
    }

    @Override
    ModelFit fromJson(String json) {
        return CanonicalJson.parseModelFit(json);
    }
}
