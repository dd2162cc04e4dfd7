package org.retentionpulse.topology.serde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;

/**
 * Format of the {@code segment-deltas} repartition topic. Bucket counts are sparse: a bit mask of the
 * non-zero counters, then only those values.
 */
public final class SegmentDeltaSerde extends BinaryCodec<SegmentDelta> {
    public SegmentDeltaSerde() {
        super(1);
    }

    @Override
    void write(SegmentDelta d, DataOutputStream out) throws IOException {
        out.writeInt(d.sourcePartition());
        out.writeLong(d.sourceStreamTime());
        out.writeInt(d.buckets().size());
        for (SegmentDelta.BucketChange b : d.buckets()) {
            out.writeUTF(b.segment());
            out.writeLong(b.bucket());
            long[] counts = b.counts();
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
        out.writeInt(d.coverage().size());
        for (SegmentDelta.CoverageChange c : d.coverage()) {
            out.writeUTF(c.segment());
            out.writeShort(c.spec());
            out.writeLong(c.windowIndex());
            out.writeInt(c.purchasers());
            out.writeInt(c.repeatPurchasers());
        }
    }

    @Override
    SegmentDelta read(DataInputStream in, byte version) throws IOException {
        int partition = in.readInt();
        long streamTime = in.readLong();
        int nb = in.readInt();
        List<SegmentDelta.BucketChange> buckets = new ArrayList<>(nb);
        for (int i = 0; i < nb; i++) {
            String segment = in.readUTF();
            long bucket = in.readLong();
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
            buckets.add(new SegmentDelta.BucketChange(segment, bucket, counts));
        }
        int nc = in.readInt();
        List<SegmentDelta.CoverageChange> coverage = new ArrayList<>(nc);
        for (int i = 0; i < nc; i++) {
            coverage.add(new SegmentDelta.CoverageChange(in.readUTF(), in.readShort(), in.readLong(), in.readInt(), in.readInt()));
        }
        return new SegmentDelta(partition, streamTime, buckets, coverage);
    }
}
