package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.Counter;

import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregate state of one segment in the segment stage: additive counts per time bucket, the active
 * count folded from closed buckets, and per window spec the difference array of the purchaser counts.
 * Buckets and difference entries whose windows have all closed are folded into the bases, so the state
 * holds at most the longest window plus grace.
 */
final class SegmentState {
    /** Active customers contributed by folded buckets: S at the fold boundary. */
    long activeBase;
    /** bucket start (ms) -> counts by {@link Counter#ordinal()}. */
    final TreeMap<Long, long[]> buckets = new TreeMap<>();
    /** Per spec: window index -> {P1 change, P2 change} from that window on. */
    final TreeMap<Long, long[]>[] coverage;
    /** Per spec: {P1, P2} sum of folded difference entries. */
    final long[][] coverageBase;

    @SuppressWarnings("unchecked")
    SegmentState(int specs) {
        coverage = new TreeMap[specs];
        coverageBase = new long[specs][2];
        for (int i = 0; i < specs; i++) {
            coverage[i] = new TreeMap<>();
        }
    }

    /** Counts of the buckets in [from, to), summed. */
    long[] sum(long from, long to) {
        long[] total = new long[Counter.COUNT];
        for (long[] counts : buckets.subMap(from, to).values()) {
            for (int i = 0; i < total.length; i++) {
                total[i] += counts[i];
            }
        }
        return total;
    }

    /** S at instant {@code at}: the folded base plus net activations of kept buckets before it. */
    long activeAt(long at) {
        long active = activeBase;
        for (long[] counts : buckets.headMap(at).values()) {
            active += net(counts);
        }
        return active;
    }

    /** {P1, P2} of window {@code index} of spec {@code spec}: prefix sum of the difference array. */
    long[] purchasers(int spec, long index) {
        long p1 = coverageBase[spec][0];
        long p2 = coverageBase[spec][1];
        for (Map.Entry<Long, long[]> e : coverage[spec].headMap(index, true).entrySet()) {
            p1 += e.getValue()[0];
            p2 += e.getValue()[1];
        }
        return new long[] {p1, p2};
    }

    WindowCounts counts(int spec, long index, long start, long end) {
        long[] p = purchasers(spec, index);
        return new WindowCounts(activeAt(start), sum(start, end), p[0], p[1]);
    }

    /** Net activations (N - C) of one bucket's counts. */
    static long net(long[] counts) {
        return counts[Counter.SIGNUPS.ordinal()] - counts[Counter.CANCELLATIONS.ordinal()];
    }
}
