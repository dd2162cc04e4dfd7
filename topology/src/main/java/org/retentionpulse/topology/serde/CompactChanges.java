package org.retentionpulse.topology.serde;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;

/**
 * The compact encoding of segment changes, shared by {@code segment-deltas} format 6 ({@link SegmentDeltaSerde}) and
 * the journal's format 2 ({@link JournalEntrySerde}): four lists (bucket counts, distinct-customer entries, churn
 * reasons, cohort cells), each a count and its entries, every field an Avro zig-zag varint ({@link BinaryEncoder}) and
 * each entry's key (bucket, window index, cohort) the difference from the previous entry's of its list (the lists are
 * sorted, so most differences are 0 or 1). Each entry starts with its segment as {@link SegmentRef} writes it.
 */
final class CompactChanges {
    /** How an entry names its segment: not at all (a batch names it once per segment) or by an index into a table. */
    interface SegmentRef {
        void write(String segment, BinaryEncoder out) throws IOException;

        String read(BinaryDecoder in) throws IOException;

        /** Entries that all belong to {@code segment}, which is written elsewhere. */
        static SegmentRef implied(String segment) {
            return new SegmentRef() {
                @Override
                public void write(String s, BinaryEncoder out) {
                    // the segment is written once, before the lists
                }

                @Override
                public String read(BinaryDecoder in) {
                    return segment;
                }
            };
        }

        /** Entries naming their segment by its index in {@code segments}. */
        static SegmentRef indexed(List<String> segments) {
            return new SegmentRef() {
                @Override
                public void write(String s, BinaryEncoder out) throws IOException {
                    out.writeInt(segments.indexOf(s));
                }

                @Override
                public String read(BinaryDecoder in) throws IOException {
                    return segments.get(in.readInt());
                }
            };
        }
    }

    /** The four lists, as read. */
    record Lists(List<SegmentDelta.BucketChange> buckets, List<SegmentDelta.CoverageChange> coverage,
                 List<SegmentDelta.ReasonChange> reasons, List<SegmentDelta.CohortChange> cohorts) {
    }

    private CompactChanges() {
    }

    static void write(List<SegmentDelta.BucketChange> buckets, List<SegmentDelta.CoverageChange> coverage,
                      List<SegmentDelta.ReasonChange> reasons, List<SegmentDelta.CohortChange> cohorts, SegmentRef ref,
                      BinaryEncoder out) throws IOException {
        out.writeInt(buckets.size());
        long previous = 0;
        for (SegmentDelta.BucketChange b : buckets) {
            ref.write(b.segment(), out);
            out.writeLong(b.bucket() - previous);
            previous = b.bucket();
            writeCounts(b.counts(), out);
        }
        out.writeInt(coverage.size());
        previous = 0;
        for (SegmentDelta.CoverageChange c : coverage) {
            ref.write(c.segment(), out);
            out.writeInt(c.spec());
            out.writeLong(c.windowIndex() - previous);
            previous = c.windowIndex();
            out.writeInt(c.purchasers());
            out.writeInt(c.repeatPurchasers());
            out.writeInt(c.respondents());
        }
        out.writeInt(reasons.size());
        previous = 0;
        for (SegmentDelta.ReasonChange r : reasons) {
            ref.write(r.segment(), out);
            out.writeLong(r.bucket() - previous);
            previous = r.bucket();
            out.writeString(r.reason());
            out.writeLong(r.churned());
        }
        writeCohorts(cohorts, ref, out);
    }

    private static void writeCohorts(List<SegmentDelta.CohortChange> cohorts, SegmentRef ref, BinaryEncoder out) throws IOException {
        out.writeInt(cohorts.size());
        long previous = 0;
        for (SegmentDelta.CohortChange c : cohorts) {
            ref.write(c.segment(), out);
            out.writeLong(c.cohort() - previous);
            previous = c.cohort();
            out.writeInt(c.k());
            out.writeLong(c.customers());
            out.writeLong(c.retained());
            out.writeLong(c.active());
            out.writeLong(c.revenueCents());
        }
    }

    static Lists read(SegmentRef ref, BinaryDecoder in) throws IOException {
        int nb = in.readInt();
        List<SegmentDelta.BucketChange> buckets = new ArrayList<>(nb);
        long previous = 0;
        for (int i = 0; i < nb; i++) {
            String segment = ref.read(in);
            previous += in.readLong();
            buckets.add(new SegmentDelta.BucketChange(segment, previous, readCounts(in)));
        }
        int nv = in.readInt();
        List<SegmentDelta.CoverageChange> coverage = new ArrayList<>(nv);
        previous = 0;
        for (int i = 0; i < nv; i++) {
            String segment = ref.read(in);
            int spec = in.readInt();
            previous += in.readLong();
            coverage.add(new SegmentDelta.CoverageChange(segment, spec, previous, in.readInt(), in.readInt(), in.readInt()));
        }
        int nr = in.readInt();
        List<SegmentDelta.ReasonChange> reasons = new ArrayList<>(nr);
        previous = 0;
        for (int i = 0; i < nr; i++) {
            String segment = ref.read(in);
            previous += in.readLong();
            reasons.add(new SegmentDelta.ReasonChange(segment, previous, in.readString(), in.readLong()));
        }
        return new Lists(buckets, coverage, reasons, readCohorts(ref, in));
    }

    private static List<SegmentDelta.CohortChange> readCohorts(SegmentRef ref, BinaryDecoder in) throws IOException {
        int nh = in.readInt();
        List<SegmentDelta.CohortChange> cohorts = new ArrayList<>(nh);
        long previous = 0;
        for (int i = 0; i < nh; i++) {
            String segment = ref.read(in);
            previous += in.readLong();
            cohorts.add(new SegmentDelta.CohortChange(segment, previous, in.readInt(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong()));
        }
        return cohorts;
    }

    /** Bucket counts, sparse: a bit mask of the non-zero counters, then only those values. */
    static void writeCounts(long[] counts, BinaryEncoder out) throws IOException {
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

    /** Counts written by {@link #writeCounts}. */
    static long[] readCounts(BinaryDecoder in) throws IOException {
        return counts(in.readInt(), in::readLong);
    }

    /** One counter value after another, as a format writes them. */
    interface Values {
        long next() throws IOException;
    }

    /**
     * Sparse counts: the values of the counters whose bit is set in {@code mask}, in order (both formats); counters a
     * newer release added beyond {@link Counter#COUNT} are read and skipped.
     */
    static long[] counts(int mask, Values values) throws IOException {
        long[] counts = new long[Counter.COUNT];
        for (int c = 0; c < 32; c++) {
            if ((mask & (1 << c)) != 0) {
                long value = values.next();
                if (c < counts.length) {
                    counts[c] = value;
                }
            }
        }
        return counts;
    }
}
