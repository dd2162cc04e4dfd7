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
 * <p><b>Version 6</b> writes a batch's fields as Avro's zig-zag varints instead of fixed-width integers, each segment's
 * changes in {@link CompactChanges} (keys as differences from the previous entry's): an entry of the distinct-customer counts went from 22
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
        CompactChanges.write(changes.buckets(), changes.coverage(), changes.reasons(), changes.cohorts(),
                CompactChanges.SegmentRef.implied(changes.segment()), out);
    }

    /** Counts of format 5 and older, as written by fixed-width integers; counters beyond {@link Counter#COUNT} are skipped. */
    static long[] readCounts(DataInputStream in) throws IOException {
        return CompactChanges.counts(in.readInt(), in::readLong);
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
        CompactChanges.Lists lists = CompactChanges.read(CompactChanges.SegmentRef.implied(segment), in);
        return new SegmentDelta.Changes(segment, lists.buckets(), lists.coverage(), lists.reasons(), lists.cohorts());
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
