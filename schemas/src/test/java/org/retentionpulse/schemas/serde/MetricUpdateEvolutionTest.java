package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricUpdate;

/**
 * Version 2 of MetricUpdate added {@code ci_low}, {@code ci_high} and {@code components.ces_sq}: records of the
 * first version (on topics, in the changelogged history store) still decode, and a consumer still on the first
 * version reads the new records.
 */
class MetricUpdateEvolutionTest {

    private static final Schema VERSION_1 = versionOne();

    @Test
    void theKeptFirstVersionIsAnotherSchemaThanTheCurrentOne() {
        assertNotEquals(SchemaNormalization.parsingFingerprint64(VERSION_1),
            SchemaNormalization.parsingFingerprint64(MetricUpdate.getClassSchema()));
        assertNull(VERSION_1.getField("ci_low"));
    }

    @Test
    void recordWrittenWithTheFirstVersionDecodesWithoutRegistration() throws IOException {
        GenericData data = decimals();
        GenericRecord components = new GenericData.Record(VERSION_1.getField("components").schema());
        components.put("ces_n", 4L);
        components.put("ces_sum", 14L);
        GenericRecord old = new GenericData.Record(VERSION_1);
        old.put("metric", "ces");
        old.put("window", "P1D/P1D");
        old.put("window_start", SampleRecords.MIDNIGHT.toEpochMilli());
        old.put("window_end", SampleRecords.MIDNIGHT.toEpochMilli() + 86_400_000L);
        old.put("segment", "all");
        old.put("value", new BigDecimal("70.0000"));
        old.put("components", components);
        old.put("final", true);
        old.put("computed_at", SampleRecords.MIDNIGHT.toEpochMilli());
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(data, VERSION_1).encode(old);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        MetricUpdate decoded = (MetricUpdate) SingleObjectAvro.decode(bytes);

        assertEquals(new BigDecimal("70.0000"), decoded.getValue());
        assertEquals(14L, decoded.getComponents().getCesSum());
        assertNull(decoded.getCiLow());
        assertNull(decoded.getCiHigh());
        assertNull(decoded.getComponents().getCesSq());
    }

    @Test
    void readerOfTheFirstVersionReadsTheNewRecordsAndIgnoresTheNewFields() throws IOException {
        MetricUpdate update = SampleRecords.npsUpdate();
        update.setCiLow(new BigDecimal("-3.1234"));
        update.setCiHigh(new BigDecimal("28.1234"));
        byte[] bytes = SingleObjectAvro.encode(update);
        SchemaStore.Cache writers = new SchemaStore.Cache();
        writers.addSchema(MetricUpdate.getClassSchema());
        BinaryMessageDecoder<GenericRecord> oldReader = new BinaryMessageDecoder<>(decimals(), VERSION_1, writers);

        GenericRecord read = oldReader.decode(bytes);

        assertEquals(new BigDecimal("12.5000"), read.get("value"));
        assertEquals(40L, ((GenericRecord) read.get("components")).get("prom"));
        assertNull(read.getSchema().getField("ci_low"));
    }

    private static GenericData decimals() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        return data;
    }

    private static Schema versionOne() {
        try (InputStream in = MetricUpdate.class.getResourceAsStream("history/MetricUpdate-1.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
