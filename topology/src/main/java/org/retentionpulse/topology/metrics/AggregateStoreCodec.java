package org.retentionpulse.topology.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of the {@value SegmentAggregator#STORE} store: a key is one kind byte followed by its fields
 * (strings as length-prefixed UTF-8, numbers big-endian), so the bytes of one kind sort together; a value is a
 * bit mask of its non-zero elements followed by those elements (most bucket counters are zero).
 */
final class AggregateStoreCodec {
    private static final byte BUCKET = 1;
    private static final byte COVERAGE = 2;
    private static final byte ACTIVE_BASE = 3;
    private static final byte COVERAGE_BASE = 4;
    private static final byte WATERMARK = 5;
    private static final byte REASON = 6;
    private static final byte EXCLUDED = 7;
    private static final byte EXCLUDED_REASON = 8;

    private AggregateStoreCodec() {
    }

    static Serde<AggregateKey> keys() {
        return Serdes.serdeFrom(keySerializer(), keyDeserializer());
    }

    static Serde<long[]> values() {
        return Serdes.serdeFrom(valueSerializer(), valueDeserializer());
    }

    static byte[] encode(AggregateKey key) {
        if (key instanceof AggregateKey.Bucket b) {
            return writer(BUCKET, b.segment(), null).putLong(b.bucket()).array();
        } else if (key instanceof AggregateKey.Coverage c) {
            return writer(COVERAGE, c.segment(), c.spec()).putLong(c.windowIndex()).array();
        } else if (key instanceof AggregateKey.ActiveBase a) {
            return writer(ACTIVE_BASE, a.segment(), null).array();
        } else if (key instanceof AggregateKey.CoverageBase c) {
            return writer(COVERAGE_BASE, c.segment(), c.spec()).array();
        } else if (key instanceof AggregateKey.Reason r) {
            return writer(REASON, r.segment(), r.reason()).putLong(r.bucket()).array();
        } else if (key instanceof AggregateKey.Excluded x) {
            return writer(EXCLUDED, x.segment(), x.spec()).putLong(x.windowIndex()).array();
        } else if (key instanceof AggregateKey.ExcludedReason x) {
            byte[] r = x.reason().getBytes(StandardCharsets.UTF_8);
            byte[] head = writer(EXCLUDED_REASON, x.segment(), x.spec()).putLong(x.windowIndex()).array();
            return ByteBuffer.allocate(head.length + 4 + r.length).put(head).putInt(r.length).put(r).array();
        } else if (key instanceof AggregateKey.Watermark w) {
            return ByteBuffer.allocate(1 + Integer.BYTES).put(WATERMARK).putInt(w.sourcePartition()).array();
        }
        throw new IllegalArgumentException("unknown aggregate key " + key);
    }

    static AggregateKey decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte kind = in.get();
        return switch (kind) {
            case BUCKET -> new AggregateKey.Bucket(string(in), in.getLong());
            case COVERAGE -> new AggregateKey.Coverage(string(in), string(in), in.getLong());
            case ACTIVE_BASE -> new AggregateKey.ActiveBase(string(in));
            case COVERAGE_BASE -> new AggregateKey.CoverageBase(string(in), string(in));
            case WATERMARK -> new AggregateKey.Watermark(in.getInt());
            case REASON -> reason(string(in), string(in), in.getLong());
            case EXCLUDED -> new AggregateKey.Excluded(string(in), string(in), in.getLong());
            case EXCLUDED_REASON -> new AggregateKey.ExcludedReason(string(in), string(in), in.getLong(), string(in));
            default -> throw new SerializationException("unknown entry kind " + kind + " in " + SegmentAggregator.STORE);
        };
    }

    private static AggregateKey.Reason reason(String segment, String reason, long bucket) {
        return new AggregateKey.Reason(segment, bucket, reason);
    }

    /** A buffer sized for the kind byte, the segment, the optional spec and one long, with the strings written. */
    private static ByteBuffer writer(byte kind, String segment, String spec) {
        byte[] s = segment.getBytes(StandardCharsets.UTF_8);
        byte[] w = spec == null ? null : spec.getBytes(StandardCharsets.UTF_8);
        boolean withLong = kind == BUCKET || kind == COVERAGE || kind == REASON || kind == EXCLUDED || kind == EXCLUDED_REASON;
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + s.length + (w == null ? 0 : 4 + w.length) + (withLong ? 8 : 0));
        out.put(kind).putInt(s.length).put(s);
        if (w != null) {
            out.putInt(w.length).put(w);
        }
        return out;
    }

    private static String string(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] encodeValues(long[] values) {
        int mask = 0;
        int nonZero = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                mask |= 1 << i;
                nonZero++;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + 8 * nonZero).put((byte) values.length).putInt(mask);
        for (long v : values) {
            if (v != 0) {
                out.putLong(v);
            }
        }
        return out.array();
    }

    static long[] decodeValues(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long[] values = new long[in.get()];
        int mask = in.getInt();
        for (int i = 0; i < values.length; i++) {
            if ((mask & (1 << i)) != 0) {
                values[i] = in.getLong();
            }
        }
        return values;
    }

    private static Serializer<AggregateKey> keySerializer() {
        return (topic, key) -> key == null ? null : encode(key);
    }

    private static Deserializer<AggregateKey> keyDeserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    private static Serializer<long[]> valueSerializer() {
        return (topic, values) -> values == null ? null : encodeValues(values);
    }

    private static Deserializer<long[]> valueDeserializer() {
        return (topic, bytes) -> bytes == null ? null : decodeValues(bytes);
    }
}
