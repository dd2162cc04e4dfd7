package org.retentionpulse.topology.alerts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Customers ordered by the instant they are next due for a check, over the store
 * {@link ChurnRiskTracker#DUE_INDEX_STORE}.
 *
 * <p>Key layout: 8 bytes of the due instant (epoch ms, sign bit flipped so that byte order is time order),
 * then the customer id in UTF-8; the value is empty. A range scan from the smallest key up to the 8-byte
 * prefix of {@code t} visits exactly the customers due before {@code t}, so a check touches only those,
 * never the whole customer base. Each customer has at most one entry (its profile remembers which).
 */
public final class DueIndex {
    private static final byte[] EMPTY = new byte[0];
    private static final Bytes FIRST = Bytes.wrap(new byte[0]);
    /** Due entries read per range scan; the scan is reopened after they are handled. */
    private static final int BATCH = 1_000;

    private final KeyValueStore<Bytes, byte[]> store;
    private long visited;

    public DueIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** A customer due at an instant. */
    public record Due(long at, String customerId) {
    }

    /** Removes every entry: before a task rebuilds the index, what a task recycled in place kept. */
    public void clear() {
        List<Bytes> kept = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> kept.add(kv.key));
        }
        kept.forEach(store::delete);
    }

    public void schedule(String customerId, long at) {
        store.put(key(at, customerId), EMPTY);
    }

    public void cancel(String customerId, long at) {
        store.delete(key(at, customerId));
    }

    /**
     * Up to a batch of customers due in {@code [from, t)}, earliest first. The caller handles them (and
     * cancels or reschedules each) before asking again.
     *
     * <p>{@code from} matters on RocksDB: handled entries are deleted, and a scan from the first key would
     * step over the tombstones of every entry ever handled until compaction removes them. Starting at the
     * instant up to which checks are done skips them with one seek.
     */
    public List<Due> dueBetween(long from, long t) {
        List<Due> due = new ArrayList<>();
        Bytes start = from == Long.MIN_VALUE ? FIRST : Bytes.wrap(prefix(from));
        try (KeyValueIterator<Bytes, byte[]> it = store.range(start, Bytes.wrap(prefix(t)))) {
            while (it.hasNext() && due.size() < BATCH) {
                KeyValue<Bytes, byte[]> entry = it.next();
                visited++;
                byte[] k = entry.key.get();
                if (k.length <= Long.BYTES) {
                    continue;
                }
                long at = ByteBuffer.wrap(k, 0, Long.BYTES).getLong() ^ Long.MIN_VALUE;
                due.add(new Due(at, new String(k, Long.BYTES, k.length - Long.BYTES, StandardCharsets.UTF_8)));
            }
        }
        return due;
    }

    /** Index entries read by {@link #dueBetween} since this index was created. */
    public long visited() {
        return visited;
    }

    static Bytes key(long at, String customerId) {
        byte[] id = customerId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(at ^ Long.MIN_VALUE).put(id).array());
    }

    private static byte[] prefix(long t) {
        return ByteBuffer.allocate(Long.BYTES).putLong(t ^ Long.MIN_VALUE).array();
    }
}
