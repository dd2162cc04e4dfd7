package org.retentionpulse.topology;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers the topology puts on its output records (metric updates and churn-risk alerts).
 *
 * <p>{@link #SOURCE_TIMESTAMP} carries the timestamp of the input record whose effect the output record
 * publishes first (for a coalesced metric update: the earliest input record folded in since the previous
 * update of that key). With input topics on {@code LogAppendTime} that is the input's append time, so
 * {@code output append time - source timestamp} is the end-to-end latency.
 */
public final class OutputHeaders {
    /** 8 bytes, big-endian epoch milliseconds. */
    public static final String SOURCE_TIMESTAMP = "retention-pulse.source.timestamp";

    private OutputHeaders() {
    }

    public static byte[] encodeTimestamp(long epochMillis) {
        return ByteBuffer.allocate(Long.BYTES).putLong(epochMillis).array();
    }

    /** The source timestamp of a record, or -1 if it has none. */
    public static long sourceTimestamp(Headers headers) {
        Header header = headers.lastHeader(SOURCE_TIMESTAMP);
        return header == null || header.value() == null || header.value().length != Long.BYTES
                ? -1 : ByteBuffer.wrap(header.value()).getLong();
    }
}
