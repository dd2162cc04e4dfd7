package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;

class SingleObjectAvroTest {

    static Stream<SpecificRecord> records() {
        return Stream.concat(SampleRecords.events(),
            Stream.of(SampleRecords.npsUpdate(), SampleRecords.revenueUpdate(), SampleRecords.reasonShareUpdate(),
                SampleRecords.alert(), SampleRecords.cohortCell()));
    }

    @ParameterizedTest
    @MethodSource("records")
    void everyRecordTypeSurvivesEncodeThenDecode(SpecificRecord record) {
        byte[] bytes = SingleObjectAvro.encode(record);

        assertEquals(record, SingleObjectAvro.decode(bytes));
    }

    @ParameterizedTest
    @MethodSource("records")
    void theBufferedWriterWritesExactlyTheBytesOfAvrosMessageEncoder(SpecificRecord record) throws java.io.IOException {
        org.junit.jupiter.api.Assertions.assertArrayEquals(SingleObjectAvro.encodeWithAvroMessageEncoder(record),
                SingleObjectAvro.encode(record));
    }

    @Test
    void bytesStartWithMarkerAndLittleEndianFingerprintOfTheWriterSchema() {
        byte[] bytes = SingleObjectAvro.encode(SampleRecords.signup());

        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SchemaNormalization.parsingFingerprint64(Signup.getClassSchema()), fingerprint);
        assertEquals(fingerprint, SingleObjectAvro.fingerprint(Signup.class));
        assertTrue(SingleObjectAvro.isSingleObject(bytes));
        assertFalse(SingleObjectAvro.isSingleObject(CanonicalJson.formatEvent(SampleRecords.signup())
            .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void recordOfAnOlderSchemaVersionDecodesOnceItsSchemaIsRegistered() {
        Schema signupWithoutChannel = new Schema.Parser().parse("""
            {"type":"record","name":"Signup","namespace":"org.retentionpulse.schemas","fields":[
              {"name":"event_id","type":"string"},
              {"name":"customer_id","type":"string"},
              {"name":"occurred_at","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"plan","type":["null","string"],"default":null},
              {"name":"country","type":["null","string"],"default":null}]}""");
        GenericRecord old = new GenericData.Record(signupWithoutChannel);
        old.put("event_id", "e01");
        old.put("customer_id", "ann");
        old.put("occurred_at", SampleRecords.MIDNIGHT.toEpochMilli());
        old.put("plan", "pro");
        old.put("country", null);
        byte[] bytes = encodeGeneric(signupWithoutChannel, old);

        InvalidEventException unknown = assertThrows(InvalidEventException.class, () -> SingleObjectAvro.decode(bytes));
        assertEquals(RejectReason.UNKNOWN_SCHEMA, unknown.reason());

        SingleObjectAvro.registerWriterSchema(signupWithoutChannel);
        Signup decoded = (Signup) SingleObjectAvro.decode(bytes);

        assertEquals(new Signup("e01", "ann", SampleRecords.MIDNIGHT, "pro", null, null), decoded);
        assertNull(decoded.getChannel());
    }

    @Test
    void writerSchemaThatCannotBeResolvedIsRefusedAtRegistration() {
        Schema purchaseWithTextAmount = new Schema.Parser().parse("""
            {"type":"record","name":"Purchase","namespace":"org.retentionpulse.schemas","fields":[
              {"name":"event_id","type":"string"},
              {"name":"amount","type":"string"}]}""");
        Schema unrelated = new Schema.Parser().parse("""
            {"type":"record","name":"Refund","namespace":"org.retentionpulse.schemas","fields":[]}""");

        assertThrows(IllegalArgumentException.class, () -> SingleObjectAvro.registerWriterSchema(purchaseWithTextAmount));
        assertThrows(IllegalArgumentException.class, () -> SingleObjectAvro.registerWriterSchema(unrelated));
    }

    @Test
    void unknownFingerprintIsUnknownSchema() {
        byte[] bytes = SingleObjectAvro.encode(SampleRecords.signup());
        bytes[5] ^= 0x55;

        assertEquals(RejectReason.UNKNOWN_SCHEMA,
            assertThrows(InvalidEventException.class, () -> SingleObjectAvro.decode(bytes)).reason());
    }

    @Test
    void truncatedOrGarbledBytesAreUndecodable() {
        byte[] whole = SingleObjectAvro.encode(SampleRecords.purchase("19.99"));
        byte[] truncatedBody = Arrays.copyOf(whole, whole.length - 3);
        byte[] truncatedHeader = Arrays.copyOf(whole, 6);
        byte[] garbledBody = whole.clone();
        Arrays.fill(garbledBody, SingleObjectAvro.HEADER_LENGTH, garbledBody.length, (byte) 0xFF);

        for (byte[] bytes : List.of(truncatedBody, truncatedHeader, garbledBody, new byte[] {1, 2, 3})) {
            InvalidEventException rejected = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(InvalidEventException.class, () -> SingleObjectAvro.decode(bytes)));
            assertEquals(RejectReason.UNDECODABLE, rejected.reason(), rejected.getMessage());
        }
    }

    @Test
    void corruptLengthPrefixIsRejectedWithoutAllocatingTheClaimedLength() {
        byte[] header = Arrays.copyOf(SingleObjectAvro.encode(SampleRecords.signup()), SingleObjectAvro.HEADER_LENGTH);
        // event_id claims 1.5 GB; Avro alone would allocate that much before noticing the record is 15 bytes.
        byte[] hostile = concat(header, zigZagVarint(1_500_000_000L), new byte[] {'a', 'b', 'c'});
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        InvalidEventException rejected = assertThrows(InvalidEventException.class, () -> SingleObjectAvro.decode(hostile));

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(RejectReason.UNDECODABLE, rejected.reason());
        assertTrue(allocated < 10_000_000, "allocated " + allocated + " bytes");
    }

    @Test
    void trailingBytesAfterTheRecordAreUndecodable() {
        byte[] bytes = concat(SingleObjectAvro.encode(SampleRecords.signup()), new byte[] {0});

        assertEquals(RejectReason.UNDECODABLE,
            assertThrows(InvalidEventException.class, () -> SingleObjectAvro.decode(bytes)).reason());
    }

    @Test
    void recordThatBreaksItsSchemaIsRefusedOnEncode() {
        Purchase threeDecimals = SampleRecords.purchase("1.005");

        assertThrows(IllegalArgumentException.class, () -> SingleObjectAvro.encode(threeDecimals));
    }

    @Test
    void concurrentEncodeAndDecodeDoNotInterfere() throws Exception {
        int threads = 4;
        int rounds = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int matched = 0;
                    for (int i = 0; i < rounds; i++) {
                        Purchase purchase = new Purchase("e-" + thread + "-" + i, "c" + thread,
                            SampleRecords.MIDNIGHT.plusMillis(i), "o" + i,
                            new java.math.BigDecimal(i + "." + String.format("%02d", thread)), "EUR");
                        MetricUpdate update = SampleRecords.revenueUpdate();
                        update.setSegment("thread=" + thread + "/" + i);
                        if (purchase.equals(SingleObjectAvro.decode(SingleObjectAvro.encode(purchase)))
                            && update.equals(SingleObjectAvro.decode(SingleObjectAvro.encode(update)))) {
                            matched++;
                        }
                    }
                    return matched;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(rounds, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] zigZagVarint(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((zigZag & ~0x7FL) != 0) {
            out.write((int) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        out.write((int) zigZag);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] encodeGeneric(Schema schema, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, Arrays.copyOf(bytes, 2));
            return bytes;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
