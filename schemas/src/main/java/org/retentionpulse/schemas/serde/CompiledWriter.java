package org.retentionpulse.schemas.serde;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes a generated record's Avro binary body by a plan made once from its schema: per field, the encoder call for
 * its type, with unions of null and one type decided by a null check, and the logical types by Avro's own conversions.
 * The bytes are those of Avro's {@code SpecificDatumWriter} ({@code CompiledWriterTest} compares them on generated
 * records of every type, every field set or null).
 *
 * <p>Why: the segment stage publishes a metric update per changed metric per tick, the job's most frequent record.
 * The generic writer looks up each value's union branch by its schema name and each logical type's conversion by
 * class, per field and per record: MetricUpdate has 28 nullable fields and 6 logical-type fields, and encoding it was
 * about 8 % of the stream thread. Avro generates such direct code itself ("custom coders") only for schemas without
 * logical types. A schema with a type the plan does not know (arrays, maps, other logical types) gets no plan, and
 * Avro's writer writes it ({@link #of}).
 */
final class CompiledWriter implements DatumWriter<Object> {
    private static final Conversions.DecimalConversion DECIMAL = new Conversions.DecimalConversion();

    /** Writes one value of one schema. */
    private interface Step {
        void write(Object value, Encoder out) throws IOException;
    }

    private final Schema schema;
    private final Step root;

    private CompiledWriter(Schema schema, Step root) {
        this.schema = schema;
        this.root = root;
    }

    /** The plan of a record schema, or empty when a field has a type it does not cover. */
    static Optional<CompiledWriter> of(Schema recordSchema) {
        try {
            return Optional.of(new CompiledWriter(recordSchema, step(recordSchema, recordSchema.getFullName())));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public void setSchema(Schema writerSchema) {
        if (!schema.equals(writerSchema)) {
            throw new IllegalArgumentException("compiled for " + schema.getFullName() + ", not for this schema");
        }
    }

    @Override
    public void write(Object datum, Encoder out) throws IOException {
        root.write(datum, out);
    }

    private static Step step(Schema s, String path) {
        LogicalType logical = s.getLogicalType();
        if (logical != null) {
            return logicalStep(s, logical, path);
        }
        return switch (s.getType()) {
            case RECORD -> recordStep(s, path);
            case UNION -> unionStep(s, path);
            case STRING -> (v, out) -> out.writeString(((CharSequence) required(v, path)).toString());
            case LONG -> (v, out) -> out.writeLong((Long) required(v, path));
            case INT -> (v, out) -> out.writeInt((Integer) required(v, path));
            case DOUBLE -> (v, out) -> out.writeDouble((Double) required(v, path));
            case BOOLEAN -> (v, out) -> out.writeBoolean((Boolean) required(v, path));
            // Generated enums write their ordinal, which is the symbol's index in the schema.
            case ENUM -> (v, out) -> out.writeEnum(((Enum<?>) required(v, path)).ordinal());
            default -> throw new UnsupportedOperationException(path + ": " + s.getType());
        };
    }

    private static Step logicalStep(Schema s, LogicalType logical, String path) {
        if (logical instanceof LogicalTypes.Decimal && s.getType() == Schema.Type.BYTES) {
            return (v, out) -> out.writeBytes(DECIMAL.toBytes((BigDecimal) required(v, path), s, logical));
        }
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return (v, out) -> out.writeLong(((Instant) required(v, path)).toEpochMilli());
        }
        throw new UnsupportedOperationException(path + ": " + logical.getName());
    }

    private static Step recordStep(Schema s, String path) {
        List<Schema.Field> fields = s.getFields();
        Step[] steps = new Step[fields.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = step(fields.get(i).schema(), path + "." + fields.get(i).name());
        }
        return (v, out) -> {
            SpecificRecord record = (SpecificRecord) required(v, path);
            for (int i = 0; i < steps.length; i++) {
                steps[i].write(record.get(i), out);
            }
        };
    }

    /** Unions of null and one other type: the branch is null or not. */
    private static Step unionStep(Schema s, String path) {
        List<Schema> branches = s.getTypes();
        int nullBranch = branches.indexOf(Schema.create(Schema.Type.NULL));
        if (branches.size() != 2 || nullBranch < 0) {
            throw new UnsupportedOperationException(path + ": union " + branches);
        }
        int valueBranch = 1 - nullBranch;
        Step value = step(branches.get(valueBranch), path);
        return (v, out) -> {
            if (v == null) {
                out.writeIndex(nullBranch);
                out.writeNull();
            } else {
                out.writeIndex(valueBranch);
                value.write(v, out);
            }
        };
    }

    private static Object required(Object value, String path) {
        if (value == null) {
            throw new NullPointerException("null value for the non-nullable field " + path);
        }
        return value;
    }
}
