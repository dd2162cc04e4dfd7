package org.retentionpulse.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.ModelFit;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;

/**
 * Avro single-object encoding of the seven record types: the marker {@code C3 01}, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema, then the binary body. The fingerprint lets a reader tell
 * which schema version wrote a record without a schema registry; older writer schemas are made readable
 * with {@link #registerWriterSchema(Schema)} and are resolved against the current (reader) schema. The previous
 * versions of the project's own schemas ({@link #PREVIOUS_VERSIONS}) are registered from the start, so records
 * already on a topic stay readable after an upgrade.
 *
 * <p>All methods are thread-safe: Avro's datum writers and readers are shared between threads (its own
 * {@link BinaryMessageEncoder} and message decoder share theirs), and the scratch encoders and decoders are kept per
 * thread.
 */
public final class SingleObjectAvro {

    /** Length of the header: marker plus fingerprint. */
    public static final int HEADER_LENGTH = 10;

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    private static final List<Codec<?>> CODECS = List.of(
        new Codec<>(Signup.class, Signup.getClassSchema(), Signup.getEncoder()),
        new Codec<>(Purchase.class, Purchase.getClassSchema(), Purchase.getEncoder()),
        new Codec<>(Cancellation.class, Cancellation.getClassSchema(), Cancellation.getEncoder()),
        new Codec<>(SurveyResponse.class, SurveyResponse.getClassSchema(), SurveyResponse.getEncoder()),
        new Codec<>(MetricUpdate.class, MetricUpdate.getClassSchema(), MetricUpdate.getEncoder()),
        new Codec<>(ChurnRiskAlert.class, ChurnRiskAlert.getClassSchema(), ChurnRiskAlert.getEncoder()),
        new Codec<>(MetricAlert.class, MetricAlert.getClassSchema(), MetricAlert.getEncoder()),
        new Codec<>(CohortCell.class, CohortCell.getClassSchema(), CohortCell.getEncoder()),
        new Codec<>(ModelFit.class, ModelFit.getClassSchema(), ModelFit.getEncoder()));

    /**
     * Earlier versions of the schemas, kept as classpath resources beside the generated classes, so records written
     * before a schema evolved (on topics, in changelogged stores) still decode; each resolves to the current one.
     * Add the old file here when a schema changes.
     */
    static final List<String> PREVIOUS_VERSIONS = List.of(
        // MetricUpdate before reason, ci_low, ci_high and components.ces_sq
        "/org/retentionpulse/schemas/history/MetricUpdate-1.avsc",
        // MetricUpdate before the section-8 components L, WB, RESP, churned_reason and churned
        "/org/retentionpulse/schemas/history/MetricUpdate-2.avsc");

    private static final Map<Class<?>, Codec<?>> BY_CLASS = index(Codec::type);
    private static final Map<String, Codec<?>> BY_NAME = index(codec -> codec.readerSchema().getFullName());
    /** Every decodable writer schema by fingerprint: the current ones plus the registered earlier versions. */
    private static final Map<Long, WriterVersion> BY_FINGERPRINT = new ConcurrentHashMap<>();

    static {
        for (Codec<?> codec : CODECS) {
            Schema current = codec.readerSchema();
            BY_FINGERPRINT.put(SchemaNormalization.parsingFingerprint64(current), new WriterVersion(codec, current));
        }
        for (String resource : PREVIOUS_VERSIONS) {
            registerWriterSchema(previousVersion(resource));
        }
    }

    static Schema previousVersion(String resource) {
        try (InputStream in = SingleObjectAvro.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }

    /** Reused per thread by the structural check; binaryDecoder(...) re-targets it at each record. */
    private static final ThreadLocal<BinaryDecoder> CHECK_DECODER = new ThreadLocal<>();

    private SingleObjectAvro() {
    }

    /**
     * Encodes one of the record types with its current schema.
     *
     * @throws IllegalArgumentException if the record is of another type or breaks its schema
     *                                  (e.g. a null required field, an amount with more than 2 decimals)
     */
    public static byte[] encode(SpecificRecord record) {
        Codec<?> codec = record == null ? null : BY_CLASS.get(record.getClass());
        if (codec == null) {
            throw new IllegalArgumentException("No single-object codec for "
                + (record == null ? "null" : record.getClass().getName()));
        }
        return codec.encode(record);
    }

    /**
     * Decodes a record written by {@link #encode} with the current or a registered schema version,
     * resolved to the current schema of its type.
     *
     * @throws InvalidEventException {@link RejectReason#UNKNOWN_SCHEMA} if the writer schema is unknown,
     *                               {@link RejectReason#UNDECODABLE} if the bytes are not a valid record
     */
    public static SpecificRecord decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_LENGTH || !isSingleObject(bytes)) {
            throw new InvalidEventException(RejectReason.UNDECODABLE,
                "Not Avro single-object encoding: expected marker C3 01 and a " + HEADER_LENGTH + "-byte header, got "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        WriterVersion version = BY_FINGERPRINT.get(fingerprint);
        if (version == null) {
            throw unknownSchema(fingerprint);
        }
        checkStructure(bytes, version);
        return version.read(bytes);
    }

    /**
     * Walks the body with the writer schema without materialising anything, so that a corrupt length
     * prefix is caught here as too long for the record instead of making the decoder allocate it (Avro
     * would allocate up to 2 GiB for a 15-byte record). Also rejects trailing bytes after the datum.
     */
    private static void checkStructure(byte[] bytes, WriterVersion version) {
        BinaryDecoder decoder = DecoderFactory.get()
            .binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, CHECK_DECODER.get());
        CHECK_DECODER.set(decoder);
        boolean complete;
        try {
            GenericDatumReader.skip(version.writerSchema(), decoder);
            complete = decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            throw new InvalidEventException(RejectReason.UNDECODABLE, "Malformed "
                + version.writerSchema().getName() + " body (" + bytes.length + " bytes): " + e, e);
        }
        if (!complete) {
            throw new InvalidEventException(RejectReason.UNDECODABLE,
                "Trailing bytes after the " + version.writerSchema().getName() + " record");
        }
    }

    /**
     * Whether the bytes start with the single-object marker {@code C3 01}. A JSON text never does (0xC3
     * followed by 0x01 is not even valid UTF-8), so this tells the two wire formats apart; it does not
     * check that the rest decodes.
     */
    public static boolean isSingleObject(byte[] bytes) {
        return bytes != null && bytes.length >= 2 && bytes[0] == MARKER_0 && bytes[1] == MARKER_1;
    }

    /**
     * Makes records written with an older (or newer) version of one of the schemas decodable. The
     * schema must have the full name of one of them and be resolvable to its current version.
     *
     * @throws IllegalArgumentException if the schema is of another type or cannot be read as the current one
     */
    public static void registerWriterSchema(Schema writerSchema) {
        Codec<?> codec = BY_NAME.get(writerSchema.getFullName());
        if (codec == null) {
            throw new IllegalArgumentException("Not a schema of a known record type: " + writerSchema.getFullName());
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
            SchemaCompatibility.checkReaderWriterCompatibility(codec.readerSchema(), writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new IllegalArgumentException("Writer schema " + writerSchema.getFullName()
                + " cannot be read with the current schema: " + compatibility.getDescription());
        }
        BY_FINGERPRINT.put(SchemaNormalization.parsingFingerprint64(writerSchema), new WriterVersion(codec, writerSchema));
    }

    /** What Avro's own message encoder writes for {@code record} (tests compare it with {@link #encode}). */
    static byte[] encodeWithAvroMessageEncoder(SpecificRecord record) throws IOException {
        return BY_CLASS.get(record.getClass()).encodeWithAvroMessageEncoder(record);
    }

    /** The CRC-64-AVRO fingerprint the current schema of {@code type} writes into the header. */
    public static long fingerprint(Class<? extends SpecificRecord> type) {
        Codec<?> codec = BY_CLASS.get(type);
        if (codec == null) {
            throw new IllegalArgumentException("No single-object codec for " + type.getName());
        }
        return SchemaNormalization.parsingFingerprint64(codec.readerSchema());
    }

    private static InvalidEventException unknownSchema(long fingerprint) {
        return new InvalidEventException(RejectReason.UNKNOWN_SCHEMA,
            "Unknown writer schema fingerprint " + Long.toHexString(fingerprint));
    }

    private static <K> Map<K, Codec<?>> index(Function<Codec<?>, K> key) {
        Map<K, Codec<?>> index = new HashMap<>();
        for (Codec<?> codec : CODECS) {
            index.put(key.apply(codec), codec);
        }
        return Map.copyOf(index);
    }

    /**
     * A writer schema the decoders accept, the codec of the class it resolves to, and the reader that resolves it. The
     * body is read from the byte array through Avro's buffered decoder: the message decoder reads it through a stream
     * and the direct decoder, a byte at a time, which was the top frame of decoding (the output monitor decodes every
     * current-window update, the customer stage every input event). Same records ({@code SingleObjectAvroTest}).
     */
    private record WriterVersion(Codec<?> codec, Schema writerSchema, DatumReader<SpecificRecord> reader) {
        private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();

        @SuppressWarnings("unchecked")
        WriterVersion(Codec<?> codec, Schema writerSchema) {
            this(codec, writerSchema, (DatumReader<SpecificRecord>) SpecificData.getForClass(codec.type())
                .createDatumReader(writerSchema, codec.readerSchema()));
        }

        /** The body after the header, resolved to the current schema (the structure is checked before). */
        SpecificRecord read(byte[] bytes) {
            BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, DECODER.get());
            DECODER.set(decoder);
            try {
                return reader.read(null, decoder);
            } catch (IOException | RuntimeException e) {
                throw new InvalidEventException(RejectReason.UNDECODABLE,
                    "Cannot decode " + codec.type().getSimpleName() + " body: " + e, e);
            }
        }
    }

    /**
     * The single-object encoding (marker, fingerprint, body) written with Avro's buffered binary encoder: the
     * {@link BinaryMessageEncoder} writes through the direct encoder, a byte at a time into a synchronized
     * {@code ByteArrayOutputStream}, which was a top frame of the stream thread (a metric update is encoded for its
     * topic, a final also for the history store). Same bytes ({@code SingleObjectAvroTest}). The datum writer is shared, as
     * the message encoder shares its own: a {@link CompiledWriter} where the schema allows; the encoder is reused per
     * thread.
     */
    private static final class BufferedWriter {
        private static final Map<Class<?>, BufferedWriter> BY_TYPE = new ConcurrentHashMap<>();
        private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();

        private final byte[] header;
        private final DatumWriter<Object> writer;

        @SuppressWarnings("unchecked")
        private BufferedWriter(Class<?> type, Schema schema) {
            header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN).put(MARKER_0).put(MARKER_1)
                .putLong(SchemaNormalization.parsingFingerprint64(schema)).array();
            // The compiled plan where the schema's types allow (the same bytes, without the generic writer's lookups).
            writer = CompiledWriter.of(schema).<DatumWriter<Object>>map(w -> w)
                .orElseGet(() -> (DatumWriter<Object>) SpecificData.getForClass(type).createDatumWriter(schema));
        }

        static BufferedWriter of(Class<?> type, Schema schema) {
            return BY_TYPE.computeIfAbsent(type, t -> new BufferedWriter(t, schema));
        }

        byte[] encode(Object datum) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(header);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODER.get());
            ENCODER.set(encoder);
            writer.write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        }
    }

    /** The encoder of one generated class (decoding: {@link WriterVersion}). */
    private record Codec<T extends SpecificRecord>(Class<T> type, Schema readerSchema, BinaryMessageEncoder<T> encoder) {

        byte[] encode(SpecificRecord record) {
            try {
                return BufferedWriter.of(type, readerSchema).encode(type.cast(record));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("Cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        }

        /** The bytes {@link #encoder} writes, for the test that {@link BufferedWriter} writes the same. */
        byte[] encodeWithAvroMessageEncoder(SpecificRecord record) throws IOException {
            ByteBuffer buffer = encoder.encode(type.cast(record));
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
    }
}
