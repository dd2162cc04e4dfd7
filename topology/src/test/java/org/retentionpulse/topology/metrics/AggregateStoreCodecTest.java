package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.Counter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The typed codec of the segment-aggregates (and combiner) store: every entry kind survives a round trip. */
class AggregateStoreCodecTest {

    @Test
    void everyKeyKindDecodesToWhatWasEncoded() {
        List<AggregateKey> keys = List.of(
                new AggregateKey.Bucket("plan=pro|x", -86_400_000L),
                new AggregateKey.Coverage("country=DE", "P30D/P1D", 19_700L),
                new AggregateKey.ActiveBase("all"),
                new AggregateKey.CoverageBase("channel=ads", "PT12H/PT6H"),
                new AggregateKey.Watermark(7));
        for (AggregateKey key : keys) {
            assertEquals(key, AggregateStoreCodec.decode(AggregateStoreCodec.encode(key)));
        }
    }

    @Test
    void valuesKeepTheirLengthAndOnlyNonZeroElementsAreWritten() {
        long[] sparse = new long[Counter.COUNT];
        sparse[Counter.ORDERS.ordinal()] = 3;
        sparse[Counter.REVENUE_CENTS.ordinal()] = -1_999;
        byte[] bytes = AggregateStoreCodec.encodeValues(sparse);
        assertArrayEquals(sparse, AggregateStoreCodec.decodeValues(bytes));
        assertEquals(1 + 4 + 2 * 8, bytes.length);
        assertArrayEquals(new long[0], AggregateStoreCodec.decodeValues(AggregateStoreCodec.encodeValues(new long[0])));
    }

    @Test
    void anUnknownEntryKindIsRefusedRatherThanSkipped() {
        assertThrows(SerializationException.class, () -> AggregateStoreCodec.decode(new byte[] {42}));
    }
}
