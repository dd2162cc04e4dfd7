package org.retentionpulse.topology.modelfit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.io.BinaryDecoder;
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
 * <p>Per-segment fits ({@link ModelFitting#segmentDimension}) use the same sample, partitioned by the customer's
 * value: no second sample and no more state. Why this and not a sample per value: the hash is independent of the
 * value, so the sampled customers of a value are themselves the bottom-k of that value's customers, a uniform
 * sample of them; the sample stays bounded by {@code max} whatever the number of values; and the customers of all
 * per-value fits together are the sample once more, so a round of fits costs at most about twice the overall fit
 * whatever the number of values. What it gives up: a value with a share {@code s} of the customers has about
 * {@code s × max} of them sampled, so a small value reaches its fit's minimum later than with a sample of its own
 * (until then its customers are scored by the overall fit, as the issue asks).
 *
 * <p>Store {@link #STORE}: key = 8-byte id hash with the sign bit flipped, big-endian (so that byte order is
 * hash order), then the id's UTF-8 bytes; value = the customer's {@link PurchaseDays}, then, with a segment
 * dimension, the customer's segment ({@code plan=pro}) as of its latest purchase (a string; absent without one).
 * At most {@code max} entries per task: its retention is the bottom-k rule.
 */
public final class FitSampleStore {
    /** Id hash + customer_id -> PurchaseDays [+ segment]; at most the fit sample size entries per task. */
    public static final String STORE = "customer-model-sample";

    private final KeyValueStore<Bytes, byte[]> store;
    private final int max;
    /**
     * The store's entries, in memory, in the store's (byte) order, each also decoded: membership and the highest key
     * without a store read, and the sample a refit reads without decoding it again. At most {@code max} entries, some
     * 200 bytes each with the map (about 2 MB for 10,000). Iterating a RocksDB store from its end after every
     * eviction walked the tombstones of all earlier evictions and made a 1M-event replay crawl, and reading a sample
     * of 10,000 from the store for every refit took 6-9 ms, 0.5-0.6 from here (BENCHMARKS.md, "Fit cost (session
     * 6)"); decoding the 10,000 entries again for every refit: the sample's read fell from 4.2 to 2.5 % of a profiled 1M-event
     * backfill's stream thread (session 14; within the noise of whole runs). Rebuilt from the store at init (restart-safe).
     */
    private final TreeMap<Bytes, Sampled> entries = new TreeMap<>();

    /** One sampled customer's stored value, decoded (a private copy: {@link PurchaseDays} is mutable). */
    private record Sampled(PurchaseDays days, String segment) {
        static Sampled of(byte[] stored) {
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(stored, null);
            return new Sampled(read(in), FitSampleStore.segment(in));
        }
    }

    public FitSampleStore(KeyValueStore<Bytes, byte[]> store, int max) {
        this.store = store;
        this.max = max;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                entries.put(entry.key, Sampled.of(entry.value));
            }
        }
        while (entries.size() > max) { // the sample size setting was lowered since the store was written
            store.delete(entries.pollLastEntry().getKey());
        }
    }

    /** The sample's summaries as of an instant: all of them, and those of each segment value (in name order). */
    public record Summaries(List<CustomerSummary> all, SortedMap<String, List<CustomerSummary>> bySegment) {
    }

    /**
     * Records the customer's summary after a purchase if the customer is (now) in the sample.
     *
     * @param segment the customer's segment fit ({@code plan=pro}), or {@link ModelRefitter#OVERALL} without a
     *                segment dimension (then nothing is stored besides the summary)
     */
    public void offer(String customerId, PurchaseDays days, String segment) {
        Bytes key = key(customerId);
        boolean full = entries.size() >= max;
        if (full && key.compareTo(entries.lastKey()) > 0) {
            return;
        }
        byte[] value = write(days, segment);
        store.put(key, value);
        if (entries.put(key, Sampled.of(value)) == null && full) {
            store.delete(entries.pollLastEntry().getKey());
        }
    }

    /** Customers in the sample. */
    public int size() {
        return entries.size();
    }

    /** The sample's summaries as observed at {@code at}, in hash order, overall and per segment value. */
    public Summaries summariesAsOf(long at) {
        List<CustomerSummary> out = new ArrayList<>(entries.size());
        SortedMap<String, List<CustomerSummary>> bySegment = new TreeMap<>();
        for (Sampled sampled : entries.values()) {
            CustomerSummary summary = sampled.days().summaryAsOf(at);
            out.add(summary);
            if (sampled.segment() != null) {
                bySegment.computeIfAbsent(sampled.segment(), s -> new ArrayList<>()).add(summary);
            }
        }
        return new Summaries(out, bySegment);
    }

    static Bytes key(String customerId) {
        byte[] id = customerId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + id.length).putLong(FitSample.hash(customerId) ^ Long.MIN_VALUE)
                .put(id).array());
    }

    private static byte[] write(PurchaseDays days, String segment) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
            BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
            days.write(out);
            if (!ModelRefitter.OVERALL.equals(segment)) {
                out.writeString(segment);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PurchaseDays read(BinaryDecoder in) {
        try {
            return PurchaseDays.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The segment after the summary, or null when the entry has none (written without a segment dimension). */
    private static String segment(BinaryDecoder in) {
        try {
            return in.isEnd() ? null : in.readString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
