package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricUpdate;

/**
 * {@code MetricUpdate} gained an optional {@code reason} (docs/METRICS.md section 8; the optional interval of section 10
 * is checked in {@link MetricUpdateEvolutionTest}): records of the previous version
 * (already on a topic) stay readable by the new code, and a consumer still on the previous version reads new
 * records, ignoring the reason.
 */
class MetricUpdateSchemaEvolutionTest {

    private static final Schema V1 = SingleObjectAvro.previousVersion("/org/retentionpulse/schemas/history/MetricUpdate-1.avsc");
    private static final Schema V2 = SingleObjectAvro.previousVersion("/org/retentionpulse/schemas/history/MetricUpdate-2.avsc");
    private static final Schema CURRENT = MetricUpdate.getClassSchema();

    @Test
    void theDifferencesAreTheOptionalReasonAndIntervalAndBothDirectionsAreCompatible() {
        for (String added : new String[] {"reason", "ci_low", "ci_high"}) {
            assertNull(V1.getField(added), added);
        }
        assertEquals(V1.getFields().size() + 3, CURRENT.getFields().size());
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
            SchemaCompatibility.checkReaderWriterCompatibility(CURRENT, V1).getType());
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
            SchemaCompatibility.checkReaderWriterCompatibility(V1, CURRENT).getType());
    }

    @Test
    void aRecordWrittenWithThePreviousVersionDecodesWithoutReason() throws IOException {
        MetricUpdate expected = SampleRecords.npsUpdate();
        byte[] body = write(V1, toGeneric(expected, V1));

        MetricUpdate decoded = (MetricUpdate) SingleObjectAvro.decode(singleObject(V1, body));

        assertNull(decoded.getReason());
        assertEquals(expected, decoded);
    }

    @Test
    void aReaderOfThePreviousVersionReadsANewRecordAndIgnoresTheReason() throws IOException {
        MetricUpdate update = SampleRecords.reasonShareUpdate();
        byte[] bytes = SingleObjectAvro.encode(update);
        byte[] body = Arrays.copyOfRange(bytes, SingleObjectAvro.HEADER_LENGTH, bytes.length);

        GenericRecord old = new GenericDatumReader<GenericRecord>(CURRENT, V1, genericData())
            .read(null, DecoderFactory.get().binaryDecoder(body, null));

        assertFalse(old.hasField("reason"));
        assertEquals("churn_reason_share", old.get("metric").toString());
        assertEquals("plan=pro", old.get("segment").toString());
        assertEquals(new BigDecimal("37.5000"), old.get("value"));
        assertEquals(true, old.get("final"));
    }

    @Test
    void jsonFormCarriesTheReasonAfterTheSegmentOnlyWhenSet() {
        String json = CanonicalJson.formatMetricUpdate(SampleRecords.reasonShareUpdate());

        assertTrue(json.contains("\"segment\":\"plan=pro\",\"reason\":\"too expensive\",\"value\":37.5,"), json);
        assertEquals(SampleRecords.reasonShareUpdate(), CanonicalJson.parseMetricUpdate(json));
        assertFalse(CanonicalJson.formatMetricUpdate(SampleRecords.npsUpdate()).contains("reason"));
    }

    @Test
    void theSecondVersionLacksOnlyTheSectionEightComponentsAndBothDirectionsAreCompatible() {
        Schema oldComponents = V2.getField("components").schema();
        Schema components = CURRENT.getField("components").schema();
        for (String added : new String[] {"L", "WB", "RESP", "churned_reason", "churned"}) {
            assertNull(oldComponents.getField(added), added);
        }
        assertEquals(oldComponents.getFields().size() + 5, components.getFields().size());
        assertEquals(V2.getFields().size(), CURRENT.getFields().size());
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
            SchemaCompatibility.checkReaderWriterCompatibility(CURRENT, V2).getType());
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
            SchemaCompatibility.checkReaderWriterCompatibility(V2, CURRENT).getType());
    }

    @Test
    void aRecordWrittenWithTheSecondVersionDecodesWithoutTheSectionEightComponents() throws IOException {
        MetricUpdate expected = SampleRecords.npsUpdate();
        byte[] body = write(V2, toGeneric(expected, V2));

        MetricUpdate decoded = (MetricUpdate) SingleObjectAvro.decode(singleObject(V2, body));

        assertNull(decoded.getComponents().getWB());
        assertEquals(expected, decoded);
    }

    @Test
    void theNewWriterSchemaHasItsOwnFingerprint() {
        assertFalse(SchemaNormalization.parsingFingerprint64(V1) == SingleObjectAvro.fingerprint(MetricUpdate.class));
    }

    private static GenericData genericData() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        return data;
    }

    /** The update as a generic record of {@code schema}, field by field (the v1 fields are a subset). */
    private static GenericRecord toGeneric(MetricUpdate update, Schema schema) throws IOException {
        byte[] current = write(CURRENT, update);
        return new GenericDatumReader<GenericRecord>(CURRENT, schema, genericData())
            .read(null, DecoderFactory.get().binaryDecoder(current, null));
    }

    private static byte[] write(Schema schema, Object record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        if (record instanceof MetricUpdate specific) {
            new SpecificDatumWriter<MetricUpdate>(schema).write(specific, encoder);
        } else {
            new GenericDatumWriter<GenericRecord>(schema, genericData()).write((GenericRecord) record, encoder);
        }
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] singleObject(Schema writer, byte[] body) {
        ByteBuffer buffer = ByteBuffer.allocate(SingleObjectAvro.HEADER_LENGTH + body.length);
        buffer.put((byte) 0xC3).put((byte) 0x01);
        buffer.order(ByteOrder.LITTLE_ENDIAN).putLong(SchemaNormalization.parsingFingerprint64(writer));
        buffer.put(body);
        return buffer.array();
    }
}
