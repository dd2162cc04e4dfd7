package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.schemas.MetricUpdate;

class MetricUpdateJsonTest {

    /** The example of docs/METRICS.md section 5, on one line. */
    private static final String SPEC_EXAMPLE = "{\"metric\":\"nps\",\"window\":\"P30D/P1D\","
        + "\"window_start\":\"2024-03-01T00:00:00Z\",\"window_end\":\"2024-03-31T00:00:00Z\","
        + "\"segment\":\"all\",\"value\":12.5,\"components\":{\"prom\":40,\"pass\":25,\"detr\":15},\"final\":false,"
        + "\"computed_at\":\"2024-03-15T10:22:05.120Z\"}";

    @Test
    void npsUpdateIsWrittenExactlyAsTheSpecExample() {
        assertEquals(SPEC_EXAMPLE, CanonicalJson.formatMetricUpdate(SampleRecords.npsUpdate()));
    }

    @Test
    void specExampleParsesToTheSameUpdate() {
        assertEquals(SampleRecords.npsUpdate(), CanonicalJson.parseMetricUpdate(SPEC_EXAMPLE));
    }

    @ParameterizedTest
    @CsvSource({"12.5000, 12.5", "25.0000, 25", "86.6667, 86.6667", "0.0000, 0", "100000.0000, 100000",
        "0.0001, 0.0001", "-3.2500, -3.25"})
    void valueIsAPlainNumberWithoutTrailingZeros(String value, String written) {
        MetricUpdate update = SampleRecords.npsUpdate();
        update.setValue(new BigDecimal(value));

        String json = CanonicalJson.formatMetricUpdate(update);

        assertTrue(json.contains("\"value\":" + written + ","), json);
        assertEquals(update, CanonicalJson.parseMetricUpdate(json));
    }

    @Test
    void undefinedValueIsNull() {
        MetricUpdate update = SampleRecords.npsUpdate();
        update.setValue(null);

        String json = CanonicalJson.formatMetricUpdate(update);

        assertTrue(json.contains("\"value\":null,"), json);
        assertNull(CanonicalJson.parseMetricUpdate(json).getValue());
    }

    @Test
    void revenueKeepsItsExactDecimalText() {
        String json = CanonicalJson.formatMetricUpdate(SampleRecords.revenueUpdate());

        assertTrue(json.contains("\"components\":{\"O\":3,\"R\":120.00},\"final\":true"), json);
        MetricComponents parsed = CanonicalJson.parseMetricUpdate(json).getComponents();
        assertEquals(new BigDecimal("120.00"), parsed.getR());
        assertEquals(3L, parsed.getO());
        assertNull(parsed.getS());
    }

    @Test
    void componentsUnknownToThisSchemaAreIgnored() {
        String newer = SPEC_EXAMPLE.replace("\"detr\":15", "\"detr\":15,\"skipped\":2");

        assertEquals(SampleRecords.npsUpdate(), CanonicalJson.parseMetricUpdate(newer));
    }

    @Test
    void malformedUpdatesAreRejectedWithReasons() {
        assertEquals(RejectReason.NOT_JSON, reject("{\"metric\":"));
        assertEquals(RejectReason.MISSING_FIELD, reject(SPEC_EXAMPLE.replace("\"metric\":\"nps\",", "")));
        assertEquals(RejectReason.WRONG_TYPE, reject(SPEC_EXAMPLE.replace("\"value\":12.5", "\"value\":\"12.5\"")));
        assertEquals(RejectReason.WRONG_TYPE, reject(SPEC_EXAMPLE.replace("\"value\":12.5", "\"value\":1.23456")));
        assertEquals(RejectReason.WRONG_TYPE, reject(SPEC_EXAMPLE.replace("\"prom\":40", "\"prom\":40.5")));
        assertEquals(RejectReason.BAD_TIMESTAMP, reject(SPEC_EXAMPLE.replace("2024-03-31T00:00:00Z", "March")));
    }

    @Test
    void serdeRoundTripsInBothWireFormats() {
        for (MetricUpdate update : new MetricUpdate[] {SampleRecords.npsUpdate(), SampleRecords.revenueUpdate()}) {
            for (WireFormat format : WireFormat.values()) {
                MetricUpdateSerde serde = new MetricUpdateSerde(format);

                byte[] bytes = serde.serializer().serialize("metrics", update);

                assertEquals(format == WireFormat.AVRO, SingleObjectAvro.isSingleObject(bytes));
                assertEquals(update, serde.deserializer().deserialize("metrics", bytes));
            }
        }
    }

    @Test
    void serdeWritesTheSpecJsonAndPassesTombstonesThrough() {
        MetricUpdateSerde serde = new MetricUpdateSerde(WireFormat.JSON);

        assertEquals(SPEC_EXAMPLE,
            new String(serde.serializer().serialize("metrics", SampleRecords.npsUpdate()), StandardCharsets.UTF_8));
        assertNull(serde.serializer().serialize("metrics", null));
        assertNull(serde.deserializer().deserialize("metrics", null));
    }

    @Test
    void serdeRefusesAnotherAvroRecordType() {
        byte[] signup = SingleObjectAvro.encode(SampleRecords.signup());

        assertEquals(RejectReason.UNKNOWN_TYPE, assertThrows(InvalidEventException.class,
            () -> new MetricUpdateSerde().deserializer().deserialize("metrics", signup)).reason());
    }

    private static RejectReason reject(String line) {
        return assertThrows(InvalidEventException.class, () -> CanonicalJson.parseMetricUpdate(line)).reason();
    }
}
