package org.retentionpulse.topology.modelfit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.topology.model.CustomerSummary;
import org.retentionpulse.topology.model.FitSample;
import org.retentionpulse.topology.model.PurchaseDays;

/**
 * One customer task's fit sample, kept as customers buy: the {@code max} customers of the task with a purchase
 * whose id hashes lowest ({@link FitSample#hash}), a bottom-k sample. Input is hash-partitioned by customer id,
 * so a task's customers are a uniform sample of the population, and so is this. A customer enters when its hash
 * is below the current highest while the sample is full (the highest leaves), and stays until a lower one
 * displaces it; its entry is rewritten on each of its purchases. A customer whose hash is above the sample's
 * highest costs one MD5 per purchase and no store access.
 *
 * <p>Store {@link #STORE}: key = 8-byte id hash with the sign bit flipped, big-endian (so that byte order is
 * hash order), then the id's UTF-8 bytes; value = the customer's {@link PurchaseDays}. At most {@code max}
 * entries per task: its retention is the bottom-k rule.
 */
public final class FitSampleStore {
    /** Id hash + customer_id -> PurchaseDays; at most the fit sample size entries per task. */
    public static final String STORE = "customer-model-sample";

    private final KeyValueStore<Bytes, byte[]> store;
    private final int max;
    /**
     * The keys in the store, in memory (at most {@code max}, a few MB for 50,000): membership and the highest key
     * without a store read. Iterating a RocksDB store from its end after every eviction walked the tombstones of
     * all earlier evictions and made a 1M-event replay crawl. Rebuilt from the store at init (restart-safe).
     */
    private final TreeSet<Bytes> keys = new TreeSet<>();

    public FitSampleStore(KeyValueStore<Bytes, byte[]> store, int max) {
        this.store = store;
        this.max = max;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                keys.add(all.next().key);
            }
        }
        while (keys.size() > max) { // the sample size setting was lowered since the store was written
            store.delete(keys.pollLast());
        }
    }

    /** Records the customer's summary after a purchase if the customer is (now) in the sample. */
    public void offer(String customerId, PurchaseDays days) {
        Bytes key = key(customerId);
        boolean full = keys.size() >= max;
        if (full && key.compareTo(keys.last()) > 0) {
            return;
        }
        store.put(key, write(days));
        if (keys.add(key) && full) {
            store.delete(keys.pollLast());
        }
    }

    /** Customers in the sample. */
    public int size() {
        return keys.size();
    }

    /** The sample's summaries as observed at {@code at}, in hash order. */
    public List<CustomerSummary> summariesAsOf(long at) {
        List<CustomerSummary> out = new ArrayList<>(keys.size());
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                out.add(read(all.next().value).summaryAsOf(at));
            }
        }
        return out;
    }

    static Bytes key(String customerId) {
        byte[] id = customerId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + id.length).putLong(FitSample.hash(customerId) ^ Long.MIN_VALUE)
                .put(id).array());
    }

    private static byte[] write(PurchaseDays days) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(24);
            BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
            days.write(out);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PurchaseDays read(byte[] value) {
        try {
            return PurchaseDays.read(DecoderFactory.get().binaryDecoder(value, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
