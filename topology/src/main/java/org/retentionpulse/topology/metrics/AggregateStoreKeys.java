package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.Counter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Key layout of the {@value SegmentAggregator#STORE} store: one byte for the kind of entry, then its fields.
 * <ul>
 *   <li>{@code B} segment, bucket start -> long[{@link Counter#COUNT}] additive counts</li>
 *   <li>{@code V} segment, spec index, window index -> long[2] purchaser difference entry</li>
 *   <li>{@code A} segment -> long[1 + 2 * specs]: active base, then {P1, P2} base per spec</li>
 *   <li>{@code E} bucket start -> long[1]: accepted events of all segments (whether a window exists)</li>
 *   <li>{@code W} source partition -> long[1]: that customer task's stream time</li>
 * </ul>
 * Values are big-endian longs. Entries are deleted when their windows have all closed.
 */
final class AggregateStoreKeys {
    static final byte BUCKET = 'B';
    static final byte COVERAGE = 'V';
    static final byte BASE = 'A';
    static final byte EVENTS = 'E';
    static final byte WATERMARK = 'W';

    private AggregateStoreKeys() {
    }

    static Bytes key(byte kind, String segment, long a, long b) {
        byte[] s = segment.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + 4 + s.length + 16).put(kind).putInt(s.length).put(s).putLong(a).putLong(b).array());
    }

    static Bytes key(byte kind, long a) {
        return key(kind, "", a, 0);
    }

    record Decoded(byte kind, String segment, long a, long b) {
    }

    static Decoded decode(Bytes key) {
        ByteBuffer buf = ByteBuffer.wrap(key.get());
        byte kind = buf.get();
        byte[] s = new byte[buf.getInt()];
        buf.get(s);
        return new Decoded(kind, new String(s, StandardCharsets.UTF_8), buf.getLong(), buf.getLong());
    }

    static byte[] values(long... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8);
        for (long v : values) {
            buf.putLong(v);
        }
        return buf.array();
    }

    static long[] values(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long[] values = new long[bytes.length / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = buf.getLong();
        }
        return values;
    }
}
