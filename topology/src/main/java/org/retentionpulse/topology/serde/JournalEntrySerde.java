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
 * zig-zag varints ({@link BinaryEncoder}) and each entry's key (bucket, window index, cohort) as the difference from
 * the previous entry's of the same list, like {@code segment-deltas} format 6: the journal takes one entry per input
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
        writeChanges(c, segments, out);
        out.flush();
    }

    private static void writeChanges(SegmentDelta.Contribution c, List<String> segments, BinaryEncoder out) throws IOException {
        out.writeInt(c.buckets().size());
        long previous = 0;
        for (SegmentDelta.BucketChange b : c.buckets()) {
            out.writeInt(segments.indexOf(b.segment()));
            out.writeLong(b.bucket() - previous);
            previous = b.bucket();
            SegmentDeltaSerde.writeCounts(b.counts(), out);
        }
        out.writeInt(c.coverage().size());
        previous = 0;
        for (SegmentDelta.CoverageChange v : c.coverage()) {
            out.writeInt(segments.indexOf(v.segment()));
            out.writeInt(v.spec());
            out.writeLong(v.windowIndex() - previous);
            previous = v.windowIndex();
            out.writeInt(v.purchasers());
            out.writeInt(v.repeatPurchasers());
            out.writeInt(v.respondents());
        }
        out.writeInt(c.reasons().size());
        previous = 0;
        for (SegmentDelta.ReasonChange r : c.reasons()) {
            out.writeInt(segments.indexOf(r.segment()));
            out.writeLong(r.bucket() - previous);
            previous = r.bucket();
            out.writeString(r.reason());
            out.writeLong(r.churned());
        }
        out.writeInt(c.cohorts().size());
        previous = 0;
        for (SegmentDelta.CohortChange h : c.cohorts()) {
            out.writeInt(segments.indexOf(h.segment()));
            out.writeLong(h.cohort() - previous);
            previous = h.cohort();
            out.writeInt(h.k());
            out.writeLong(h.customers());
            out.writeLong(h.retained());
            out.writeLong(h.active());
            out.writeLong(h.revenueCents());
        }
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
        String[] segments = new String[in.readInt()];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = in.readString();
        }
        int nb = in.readInt();
        List<SegmentDelta.BucketChange> buckets = new ArrayList<>(nb);
        long previous = 0;
        for (int i = 0; i < nb; i++) {
            String segment = segments[in.readInt()];
            previous += in.readLong();
            buckets.add(new SegmentDelta.BucketChange(segment, previous, SegmentDeltaSerde.readCounts(in)));
        }
        int nv = in.readInt();
        List<SegmentDelta.CoverageChange> coverage = new ArrayList<>(nv);
        previous = 0;
        for (int i = 0; i < nv; i++) {
            String segment = segments[in.readInt()];
            int spec = in.readInt();
            previous += in.readLong();
            coverage.add(new SegmentDelta.CoverageChange(segment, spec, previous, in.readInt(), in.readInt(), in.readInt()));
        }
        int nr = in.readInt();
        List<SegmentDelta.ReasonChange> reasons = new ArrayList<>(nr);
        previous = 0;
        for (int i = 0; i < nr; i++) {
            String segment = segments[in.readInt()];
            previous += in.readLong();
            reasons.add(new SegmentDelta.ReasonChange(segment, previous, in.readString(), in.readLong()));
        }
        int nh = in.readInt();
        List<SegmentDelta.CohortChange> cohorts = new ArrayList<>(nh);
        previous = 0;
        for (int i = 0; i < nh; i++) {
            String segment = segments[in.readInt()];
            previous += in.readLong();
            cohorts.add(new SegmentDelta.CohortChange(segment, previous, in.readInt(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong()));
        }
        return new JournalEntry.Changes(cycle, timestamp,
                new SegmentDelta.Contribution(sourcePartition, streamTime, buckets, coverage, reasons, cohorts, latestEvent));
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
