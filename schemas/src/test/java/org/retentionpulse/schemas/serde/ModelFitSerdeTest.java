package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.ModelFit;

/** A model fit on retention-model survives both wire formats, and a malformed JSON one is refused with a reason. */
class ModelFitSerdeTest {
    private static final ModelFit FIT = ModelFit.newBuilder().setSegment("all").setPartition(3)
        .setFittedAt(Instant.parse("1997-10-01T00:00:00Z")).setR(0.243).setAlpha(30.9).setA(0.793).setB(2.426)
        .setPurchasesLogLikelihood(-9582.4).setCustomers(2357).setP(6.25).setQ(3.74).setV(15.45)
        .setSpendLogLikelihood(-4000.5).setRepeatBuyers(946).setFitMicros(81_234).build();

    @Test
    void writesAvroOrJsonAndReadsBoth() {
        ModelFitSerde avro = new ModelFitSerde(WireFormat.AVRO);
        ModelFitSerde json = new ModelFitSerde(WireFormat.JSON);
        assertTrue(SingleObjectAvro.isSingleObject(avro.encode(FIT)));
        assertEquals(FIT, json.decode(avro.encode(FIT)));
        assertEquals(FIT, avro.decode(json.encode(FIT)));
        assertTrue(CanonicalJson.formatModelFit(FIT).contains("\"fitted_at\":\"1997-10-01T00:00:00Z\""));
    }

    @Test
    void aFitWithoutAParameterIsRefused() {
        String line = CanonicalJson.formatModelFit(FIT).replace("\"alpha\":30.9,", "");
        assertEquals(RejectReason.MISSING_FIELD,
            assertThrows(InvalidEventException.class, () -> CanonicalJson.parseModelFit(line)).reason());
    }
}
