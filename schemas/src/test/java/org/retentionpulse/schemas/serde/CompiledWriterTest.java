package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.MetricUpdate;

/**
 * The compiled writer writes exactly the bytes of Avro's specific writer, on records generated from the schemas with
 * every field set or null at random (so a field added to a schema is covered without touching this test).
 */
class CompiledWriterTest {
    private static final Random RANDOM = new Random(20261202);

    @ParameterizedTest
    @ValueSource(classes = {MetricUpdate.class, CohortCell.class, MetricAlert.class, org.retentionpulse.schemas.ModelFit.class,
        org.retentionpulse.schemas.Signup.class, org.retentionpulse.schemas.Purchase.class,
        org.retentionpulse.schemas.Cancellation.class, org.retentionpulse.schemas.SurveyResponse.class})
    void writesTheBytesOfAvrosSpecificWriterOnGeneratedRecords(Class<? extends SpecificRecord> type) throws IOException {
        Schema schema = SpecificData.get().getSchema(type);
        CompiledWriter compiled = CompiledWriter.of(schema).orElseThrow(() -> new AssertionError("no plan for " + type));
        DatumWriter<Object> avro = SpecificData.getForClass(type).createDatumWriter(schema);
        for (int i = 0; i < 500; i++) {
            SpecificRecord record = specific(type, schema, generic(schema));
            assertArrayEquals(bytes(avro, record), bytes(compiled, record), record.toString());
        }
    }

    @Test
    void aSchemaWithArraysOrMapsHasNoPlanAndKeepsAvrosWriter() {
        assertTrue(CompiledWriter.of(ChurnRiskAlert.getClassSchema()).isEmpty());
    }

    @Test
    void aNullRequiredFieldOrADecimalWithMoreDigitsThanItsScaleIsRejectedAsAvroRejectsIt() {
        MetricUpdate update = SampleRecords.npsUpdate();
        update.setSegment(null);
        assertThrows(IllegalArgumentException.class, () -> SingleObjectAvro.encode(update));
        MetricUpdate tooPrecise = SampleRecords.npsUpdate();
        tooPrecise.setValue(new BigDecimal("1.23456"));
        assertThrows(IllegalArgumentException.class, () -> SingleObjectAvro.encode(tooPrecise));
    }

    private static byte[] bytes(DatumWriter<Object> writer, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** The generated (raw) record read back as the generated class, with Avro's logical-type conversions. */
    private static SpecificRecord specific(Class<? extends SpecificRecord> type, Schema schema, GenericRecord raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema, new GenericData()).write(raw, encoder);
        encoder.flush();
        return new SpecificDatumReader<SpecificRecord>(schema, schema, SpecificData.getForClass(type))
            .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static GenericRecord generic(Schema schema) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            record.put(f.pos(), value(f.schema()));
        }
        return record;
    }

    /** A raw value (no logical-type conversion) of {@code s}. */
    private static Object value(Schema s) {
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            // Under 3.3 bits per digit: at most the schema's precision in digits.
            BigInteger unscaled = new BigInteger(RANDOM.nextInt((int) (d.getPrecision() * 3.3)) + 1, RANDOM);
            unscaled = RANDOM.nextBoolean() ? unscaled.negate() : unscaled;
            return ByteBuffer.wrap(new BigDecimal(unscaled, d.getScale()).unscaledValue().toByteArray());
        }
        return switch (s.getType()) {
            case RECORD -> generic(s);
            case UNION -> value(s.getTypes().get(RANDOM.nextBoolean() ? 0 : 1));
            case NULL -> null;
            case STRING -> string();
            case LONG -> RANDOM.nextBoolean() ? RANDOM.nextLong() % 100_000_000_000_000L : (long) RANDOM.nextInt(300) - 150;
            case INT -> RANDOM.nextInt();
            case DOUBLE -> RANDOM.nextBoolean() ? RANDOM.nextGaussian() * 1e6 : List.of(0.0, -0.0, Double.NaN, 1e-300).get(RANDOM.nextInt(4));
            case BOOLEAN -> RANDOM.nextBoolean();
            case ENUM -> new GenericData.EnumSymbol(s, s.getEnumSymbols().get(RANDOM.nextInt(s.getEnumSymbols().size())));
            default -> throw new AssertionError("no generator for " + s);
        };
    }

    private static final Map<Integer, String> ALPHABET = new HashMap<>(Map.of(0, "a", 1, "Z", 2, "|", 3, "=", 4, "\u00e9",
        5, "\u4e2d", 6, "\uD83D\uDE00", 7, " ", 8, "9"));

    private static String string() {
        StringBuilder b = new StringBuilder();
        for (int n = RANDOM.nextInt(12); n > 0; n--) {
            b.append(ALPHABET.get(RANDOM.nextInt(ALPHABET.size())));
        }
        return b.toString();
    }
}
