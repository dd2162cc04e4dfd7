package org.retentionpulse.topology.serde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class SegmentDeltaSerde extends BinaryCodec<SegmentDelta> {
    /** Versions 2 and 3: the changes of one segment per record. */
    private static final byte CHANGES = 1;
    private static final byte BATCH = 3;
    private static final byte WATERMARK = 2;

    public SegmentDeltaSerde() {
        super(5);
    }

    @Override
    void write(SegmentDelta delta, DataOutputStream out) throws IOException {
        if (delta instanceof SegmentDelta.Batch b) {
            out.writeByte(BATCH);
            out.writeInt(b.partition());
            out.writeInt(b.sourcePartition());
            out.writeInt(b.changes().size());
            for (SegmentDelta.Changes c : b.changes()) {
                writeChanges(c, out);
            }
        } else if (delta instanceof SegmentDelta.Watermark w) {
            out.writeByte(WATERMARK);
            out.writeInt(w.sourcePartition());
            out.writeLong(w.streamTime());
            out.writeLong(w.latestEvent());
        } else {
            throw new IllegalArgumentException("a per-record contribution is combined in its task, never sent: " + delta);
        }
    }

    private static void writeChanges(SegmentDelta.Changes changes, DataOutputStream out) throws IOException {
        out.writeUTF(changes.segment());
        out.writeInt(changes.buckets().size());
        for (SegmentDelta.BucketChange b : changes.buckets()) {
            out.writeLong(b.bucket());
            writeCounts(b.counts(), out);
        }
        out.writeInt(changes.coverage().size());
        for (SegmentDelta.CoverageChange c : changes.coverage()) {
            out.writeShort(c.spec());
            out.writeLong(c.windowIndex());
            out.writeInt(c.purchasers());
            out.writeInt(c.repeatPurchasers());
            out.writeInt(c.respondents());
        }
        out.writeInt(changes.reasons().size());
        for (SegmentDelta.ReasonChange r : changes.reasons()) {
            out.writeLong(r.bucket());
            out.writeUTF(r.reason());
            out.writeLong(r.churned());
        }
        out.writeInt(changes.cohorts().size());
        for (SegmentDelta.CohortChange c : changes.cohorts()) {
            out.writeLong(c.cohort());
            out.writeShort(c.k());
            out.writeLong(c.customers());
            out.writeLong(c.retained());
            out.writeLong(c.active());
            out.writeLong(c.revenueCents());
        }
    }

    /** Bucket counts, sparse: a bit mask of the non-zero counters, then only those values (most are zero). */
    static void writeCounts(long[] counts, DataOutputStream out) throws IOException {
        int mask = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                mask |= 1 << i;
            }
        }
        out.writeInt(mask);
        for (long c : counts) {
            if (c != 0) {
                out.writeLong(c);
            }
        }
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
            case BATCH -> readBatch(in, version);
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
