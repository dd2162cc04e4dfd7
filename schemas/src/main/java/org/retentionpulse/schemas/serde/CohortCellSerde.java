package org.retentionpulse.schemas.serde;

import org.retentionpulse.schemas.CohortCell;

/**
 * Serde of {@link CohortCell}: Avro single-object encoding by default, or the JSON form of contract
 * section 9 ({@link CanonicalJson#formatCohortCell}) when {@link WireFormatConfig#WIRE_FORMAT_CONFIG} is
 * {@code json}. The deserializer reads both. Thread-safe.
 */
public final class CohortCellSerde extends OutputRecordSerde<CohortCell> {

    /** Avro on write unless configured otherwise. */
    public CohortCellSerde() {
        this(WireFormatConfig.DEFAULT_WIRE_FORMAT);
    }

    public CohortCellSerde(WireFormat wireFormat) {
        super(CohortCell.class, wireFormat);
    }

    @Override
    String toJson(CohortCell cell) {
        return CanonicalJson.formatCohortCell(cell);
    }

    @Override
    CohortCell fromJson(String json) {
        return CanonicalJson.parseCohortCell(json);
    }
}
