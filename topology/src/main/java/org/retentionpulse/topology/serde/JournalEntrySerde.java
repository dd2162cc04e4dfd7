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
import org.retentionpulse.topology.combine.JournalEntry;
import org.retentionpulse.topology.delta.SegmentDelta;

/**
 * Format of the {@code segment-delta-journal} store. Version 2 (written): a kind byte, then every field as Avro's
 * zig-zag varints, the changes in {@link CompactChanges} with each entry's segment as its index in the entry's
 * segment table, like {@code segment-deltas} format 6: the journal takes one entry per input
 * record, and its changelog carried about 14 times the input's bytes in fixed-width integers. Version 1 (still read
 * from a changelog it left): the same fields fixed-width: a kind byte; a {@link JournalEntry.Flushed} is its
 * cycle and stream time; a {@link JournalEntry.Changes} is its cycle, the record timestamp, the contribution's source partition, stream
 * time and latest event, then its segments once (a count and the names) and each change with the index of its segment:
 * bucket counts sparse (a bit mask of the non-zero counters, then those values, as in {@link SegmentDeltaSerde}),
 * distinct-customer entries, churn reasons and cohort cells.
 */
public final class JournalEntrySerde extends BinaryCodec<JournalEntry> {
    private static final byte CHANGES = 1;
    private static final byte FLUSHED = 2;

    public JournalEntrySerde() {
        super(2);
    }

    @Override
    void write(JournalEntry entry, DataOutputStream stream) throws IOException {
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(stream, null);
        if (entry instanceof JournalEntry.Flushed f) {
            stream.writeByte(FLUSHED);
            out.writeLong(f.cycle());
            out.writeLong(f.streamTime());
            out.flush();
            return;
        }
        JournalEntry.Changes e = (JournalEntry.Changes) entry;
        SegmentDelta.Contribution c = e.contribution();
        stream.writeByte(CHANGES);
        out.writeLong(e.cycle());
        out.writeLong(e.timestamp());
        out.writeInt(c.sourcePartition());
        out.writeLong(c.streamTime());
        out.writeLong(c.latestEvent());
        List<String> segments = segments(c);
        out.writeInt(segments.size());
        for (String s : segments) {
            out.writeString(s);
        }
        CompactChanges.write(c.buckets(), c.coverage(), c.reasons(), c.cohorts(), CompactChanges.SegmentRef.indexed(segments), out);
        out.flush();
    }

    /** The distinct segments of a contribution in order of first use (a handful: a linear list is the cheapest). */
    private static List<String> segments(SegmentDelta.Contribution c) {
        List<String> segments = new ArrayList<>(8);
        c.buckets().forEach(b -> addNew(segments, b.segment()));
        c.coverage().forEach(v -> addNew(segments, v.segment()));
        c.reasons().forEach(r -> addNew(segments, r.segment()));
        c.cohorts().forEach(h -> addNew(segments, h.segment()));
        return segments;
    }

    private static void addNew(List<String> segments, String segment) {
        if (!segments.contains(segment)) {
            segments.add(segment);
        }
    }

    @Override
    JournalEntry read(DataInputStream in, byte version) throws IOException {
        byte kind = in.readByte();
        if (version >= 2) {
            BinaryDecoder d = DecoderFactory.get().directBinaryDecoder(in, null);
            return switch (kind) {
                case FLUSHED -> new JournalEntry.Flushed(d.readLong(), d.readLong());
                case CHANGES -> readCompactChanges(d);
                default -> throw new SerializationException("unknown journal entry kind " + kind);
            };
        }
        return switch (kind) {
            case FLUSHED -> new JournalEntry.Flushed(in.readLong(), in.readLong());
            case CHANGES -> readChanges(in);
            default -> throw new SerializationException("unknown journal entry kind " + kind);
        };
    }

    /** An entry of version 2. */
    private static JournalEntry.Changes readCompactChanges(BinaryDecoder in) throws IOException {
        long cycle = in.readLong();
        long timestamp = in.readLong();
        int sourcePartition = in.readInt();
        long streamTime = in.readLong();
        long latestEvent = in.readLong();
        int n = in.readInt();
        List<String> segments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            segments.add(in.readString());
        }
        CompactChanges.Lists lists = CompactChanges.read(CompactChanges.SegmentRef.indexed(segments), in);
        return new JournalEntry.Changes(cycle, timestamp, new SegmentDelta.Contribution(sourcePartition, streamTime,
                lists.buckets(), lists.coverage(), lists.reasons(), lists.cohorts(), latestEvent));
    }

    /** An entry of version 1. */
    private static JournalEntry.Changes readChanges(DataInputStream in) throws IOException {
        long cycle = in.readLong();
        long timestamp = in.readLong();
        int sourcePartition = in.readInt();
        long streamTime = in.readLong();
        long latestEvent = in.readLong();
        String[] segments = new String[in.readShort()];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = in.readUTF();
        }
        int nb = in.readInt();
        List<SegmentDelta.BucketChange> buckets = new ArrayList<>(nb);
        for (int i = 0; i < nb; i++) {
            String segment = segments[in.readShort()];
            long bucket = in.readLong();
            buckets.add(new SegmentDelta.BucketChange(segment, bucket, SegmentDeltaSerde.readCounts(in)));
        }
        int nv = in.readInt();
        List<SegmentDelta.CoverageChange> coverage = new ArrayList<>(nv);
        for (int i = 0; i < nv; i++) {
            coverage.add(new SegmentDelta.CoverageChange(segments[in.readShort()], in.readShort(), in.readLong(), in.readInt(),
                    in.readInt(), in.readInt()));
        }
        int nr = in.readInt();
        List<SegmentDelta.ReasonChange> reasons = new ArrayList<>(nr);
        for (int i = 0; i < nr; i++) {
            reasons.add(new SegmentDelta.ReasonChange(segments[in.readShort()], in.readLong(), in.readUTF(), in.readLong()));
        }
        int nh = in.readInt();
        List<SegmentDelta.CohortChange> cohorts = new ArrayList<>(nh);
        for (int i = 0; i < nh; i++) {
            cohorts.add(new SegmentDelta.CohortChange(segments[in.readShort()], in.readLong(), in.readShort(), in.readLong(),
                    in.readLong(), in.readLong(), in.readLong()));
        }
        return new JournalEntry.Changes(cycle, timestamp,
                new SegmentDelta.Contribution(sourcePartition, streamTime, buckets, coverage, reasons, cohorts, latestEvent));
    }
}
