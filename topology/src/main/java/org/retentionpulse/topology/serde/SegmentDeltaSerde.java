package org.retentionpulse.topology.serde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;

/**
 * Format of the {@code segment-deltas} repartition topic: a kind byte, then a {@link SegmentDelta.Batch} (from version
 * 4: its partition, from version 5 its source partition, the number of changes, then each {@link SegmentDelta.Changes}) or a {@link SegmentDelta.Watermark}
 * (from version 3 with the latest event time). A {@link SegmentDelta.Changes} is the segment once, its bucket counts
 * sparse (a bit mask of the non-zero counters and only those values), its distinct-customer entries (P1, P2 and,
 * from version 3, respondents), from version 3 its churn reason entries and its cohort cell entries; versions 2 and 3
 * sent one record per segment ({@code CHANGES}), still read. A {@link SegmentDelta.Contribution} never leaves its task.
 *
 * <p><b>Version 6</b> writes a batch's fields as Avro's zig-zag varints ({@link BinaryEncoder}) instead of fixed-width
 * integers, and each entry's key (bucket, window index, cohort) as the difference from the previous entry's of the same
 * list (the lists are sorted, so most differences are 0 or 1): an entry of the distinct-customer counts went from 22
 * bytes to about 5. Why it matters: at 100 ms of combining a batch holds a task's changes to every open window of
 * every touched segment, and the repartition topic carried about three times the input's bytes. During a backfill
 * the consumer fetches the same number of bytes of each partition per request and no new request to a broker while a
 * partition it leads still holds fetched records, so the segment stage's partition got a small share and the segment
 * stage fell behind (BENCHMARKS.md). Watermarks keep their fixed layout.
 */
public final class SegmentDeltaSerde extends BinaryCodec<SegmentDelta> {
    /** Versions 2 and 3: the changes of one segment per record. */
    private static final byte CHANGES = 1;
    private static final byte BATCH = 3;
    private static final byte WATERMARK = 2;

    public SegmentDeltaSerde() {
        super(6);
    }

    @Override
    void write(SegmentDelta delta, DataOutputStream out) throws IOException {
        if (delta instanceof SegmentDelta.Batch b) {
            out.writeByte(BATCH);
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
            enc.writeInt(b.partition());
            enc.writeInt(b.sourcePartition());
            enc.writeInt(b.changes().size());
            for (SegmentDelta.Changes c : b.changes()) {
                writeChanges(c, enc);
            }
            enc.flush();
        } else if (delta instanceof SegmentDelta.Watermark w) {
            out.writeByte(WATERMARK);
            out.writeInt(w.sourcePartition());
            out.writeLong(w.streamTime());
            out.writeLong(w.latestEvent());
        } else {
            throw new IllegalArgumentException("a per-record contribution is combined in its task, never sent: " + delta);
        }
    }

    private static void writeChanges(SegmentDelta.Changes changes, BinaryEncoder out) throws IOException {
        out.writeString(changes.segment());
        out.writeInt(changes.buckets().size());
        long previous = 0;
        for (SegmentDelta.BucketChange b : changes.buckets()) {
            out.writeLong(b.bucket() - previous);
            previous = b.bucket();
            writeCounts(b.counts(), out);
        }
        out.writeInt(changes.coverage().size());
        previous = 0;
        for (SegmentDelta.CoverageChange c : changes.coverage()) {
            out.writeInt(c.spec());
            out.writeLong(c.windowIndex() - previous);
            previous = c.windowIndex();
            out.writeInt(c.purchasers());
            out.writeInt(c.repeatPurchasers());
            out.writeInt(c.respondents());
        }
        out.writeInt(changes.reasons().size());
        previous = 0;
        for (SegmentDelta.ReasonChange r : changes.reasons()) {
            out.writeLong(r.bucket() - previous);
            previous = r.bucket();
            out.writeString(r.reason());
            out.writeLong(r.churned());
        }
        out.writeInt(changes.cohorts().size());
        previous = 0;
        for (SegmentDelta.CohortChange c : changes.cohorts()) {
            out.writeLong(c.cohort() - previous);
            previous = c.cohort();
            out.writeInt(c.k());
            out.writeLong(c.customers());
            out.writeLong(c.retained());
            out.writeLong(c.active());
            out.writeLong(c.revenueCents());
        }
    }

    /** Bit {@code i} set when counter {@code i} is not zero. */
    private static int nonZeroMask(long[] counts) {
        int mask = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    /** Bucket counts, sparse, as varints (format 6, and the journal's format 2): the mask, then the non-zero values. */
    static void writeCounts(long[] counts, BinaryEncoder out) throws IOException {
        out.writeInt(nonZeroMask(counts));
        for (long c : counts) {
            if (c != 0) {
                out.writeLong(c);
            }
        }
    }

    /** Counts written by {@link #writeCounts(long[], BinaryEncoder)}; counters beyond {@link Counter#COUNT} are skipped. */
    static long[] readCounts(BinaryDecoder in) throws IOException {
        int mask = in.readInt();
        long[] counts = new long[Counter.COUNT];
        for (int c = 0; c < 32; c++) {
            if ((mask & (1 << c)) != 0) {
                long value = in.readLong();
                if (c < counts.length) { // a counter a newer release added
                    counts[c] = value;
                }
            }
        }
        return counts;
    }

    /** Counts written by {@link #writeCounts}; counters a newer release added beyond {@link Counter#COUNT} are skipped. */
    static long[] readCounts(DataInputStream in) throws IOException {
        int mask = in.readInt();
        long[] counts = new long[Counter.COUNT];
        for (int c = 0; c < 32; c++) {
            if ((mask & (1 << c)) != 0) {
                long value = in.readLong();
                if (c < counts.length) {
                    counts[c] = value;
                }
            }
        }
        return counts;
    }

    @Override
    SegmentDelta read(DataInputStream in, byte version) throws IOException {
        if (version < 2) {
            throw new SerializationException("segment-deltas format " + version + " (broadcast deltas) is no longer read: "
                    + "let the repartition topic drain with the previous release before upgrading");
        }
        byte kind = in.readByte();
        return switch (kind) {
            case BATCH -> version >= 6 ? readCompactBatch(DecoderFactory.get().directBinaryDecoder(in, null)) : readBatch(in, version);
            case CHANGES -> readChanges(in, version);
            case WATERMARK -> watermark(in, version);
            default -> throw new SerializationException("unknown segment delta kind " + kind);
        };
    }

    private static SegmentDelta.Batch readBatch(DataInputStream in, byte version) throws IOException {
        int partition = in.readInt();
        int sourcePartition = version >= 5 ? in.readInt() : -1;
        int n = in.readInt();
        List<SegmentDelta.Changes> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            changes.add(readChanges(in, version));
        }
        return new SegmentDelta.Batch(partition, sourcePartition, changes);
    }

    /** A batch of version 6 (see the class comment). */
    private static SegmentDelta.Batch readCompactBatch(BinaryDecoder in) throws IOException {
        int partition = in.readInt();
        int sourcePartition = in.readInt();
        int n = in.readInt();
        List<SegmentDelta.Changes> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            changes.add(readCompactChanges(in));
        }
        return new SegmentDelta.Batch(partition, sourcePartition, changes);
    }

    private static SegmentDelta.Changes readCompactChanges(BinaryDecoder in) throws IOException {
        String segment = in.readString();
        int nb = in.readInt();
        List<SegmentDelta.BucketChange> buckets = new ArrayList<>(nb);
        long previous = 0;
        for (int i = 0; i < nb; i++) {
            previous += in.readLong();
            buckets.add(new SegmentDelta.BucketChange(segment, previous, readCounts(in)));
        }
        int nc = in.readInt();
        List<SegmentDelta.CoverageChange> coverage = new ArrayList<>(nc);
        previous = 0;
        for (int i = 0; i < nc; i++) {
            int spec = in.readInt();
            previous += in.readLong();
            coverage.add(new SegmentDelta.CoverageChange(segment, spec, previous, in.readInt(), in.readInt(), in.readInt()));
        }
        int nr = in.readInt();
        List<SegmentDelta.ReasonChange> reasons = new ArrayList<>(nr);
        previous = 0;
        for (int i = 0; i < nr; i++) {
            previous += in.readLong();
            reasons.add(new SegmentDelta.ReasonChange(segment, previous, in.readString(), in.readLong()));
        }
        int nh = in.readInt();
        List<SegmentDelta.CohortChange> cohorts = new ArrayList<>(nh);
        previous = 0;
        for (int i = 0; i < nh; i++) {
            previous += in.readLong();
            cohorts.add(new SegmentDelta.CohortChange(segment, previous, in.readInt(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong()));
        }
        return new SegmentDelta.Changes(segment, buckets, coverage, reasons, cohorts);
    }

    private static SegmentDelta.Watermark watermark(DataInputStream in, byte version) throws IOException {
        int partition = in.readInt();
        long streamTime = in.readLong();
        return new SegmentDelta.Watermark(partition, streamTime, version >= 3 ? in.readLong() : streamTime);
    }

    private static SegmentDelta.Changes readChanges(DataInputStream in, byte version) throws IOException {
        String segment = in.readUTF();
        int nb = in.readInt();
        List<SegmentDelta.BucketChange> buckets = new ArrayList<>(nb);
        for (int i = 0; i < nb; i++) {
            long bucket = in.readLong();
            buckets.add(new SegmentDelta.BucketChange(segment, bucket, readCounts(in)));
        }
        int nc = in.readInt();
        List<SegmentDelta.CoverageChange> coverage = new ArrayList<>(nc);
        for (int i = 0; i < nc; i++) {
            coverage.add(new SegmentDelta.CoverageChange(segment, in.readShort(), in.readLong(), in.readInt(), in.readInt(),
                    version >= 3 ? in.readInt() : 0));
        }
        int nr = version >= 3 ? in.readInt() : 0;
        List<SegmentDelta.ReasonChange> reasons = new ArrayList<>(nr);
        for (int i = 0; i < nr; i++) {
            reasons.add(new SegmentDelta.ReasonChange(segment, in.readLong(), in.readUTF(), in.readLong()));
        }
        int nh = version >= 3 ? in.readInt() : 0;
        List<SegmentDelta.CohortChange> cohorts = new ArrayList<>(nh);
        for (int i = 0; i < nh; i++) {
            cohorts.add(new SegmentDelta.CohortChange(segment, in.readLong(), in.readShort(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong()));
        }
        return new SegmentDelta.Changes(segment, buckets, coverage, reasons, cohorts);
    }
}
