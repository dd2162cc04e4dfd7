package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.policy.ChurnReasons;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregate state of one segment in the segment stage: additive counts per time bucket, churned customers per
 * reason and bucket, the active and win-back pool counts folded from closed buckets, and per window spec the
 * difference array of the distinct-customer counts (P1, P2, RESP). Buckets and difference entries whose windows have
 * all closed are folded into the bases, so the state holds at most the longest window plus grace (plus lapses counted
 * in advance, at most {@code churn.inactivity} ahead).
 */
final class SegmentState {
    /** Values of a difference entry and of a base: P1, P2, RESP. */
    static final int DISTINCT = 3;

    /** Active customers contributed by folded buckets: S at the fold boundary. */
    long activeBase;
    /** Win-back pool contributed by folded buckets: L at the fold boundary (section 8). */
    long poolBase;
    /** bucket start (ms) -> counts by {@link Counter#ordinal()}. */
    final TreeMap<Long, long[]> buckets = new TreeMap<>();
    /** bucket start (ms) -> normalised churn reason -> churned customers (C_r). */
    final TreeMap<Long, Map<String, Long>> reasons = new TreeMap<>();
    /** Per spec: window index -> {P1, P2, RESP change} from that window on. */
    final TreeMap<Long, long[]>[] coverage;
    /** Per spec: {P1, P2, RESP} sum of folded difference entries. */
    final long[][] coverageBase;
    /** Length of an {@link #excluded} value: the counters, then P1, P2, RESP. */
    static final int EXCLUDED_LENGTH = Counter.COUNT + DISTINCT;
    /**
     * Per spec: window index -> counts (by {@link Counter#ordinal()}) then {P1, P2, RESP} that window leaves out: changes
     * the customer task that sent them decided after the window had closed there, while this stage, waiting for a
     * slower task, still has it open. Subtracted from the window's sums, so "late" and "counted" agree.
     */
    final TreeMap<Long, long[]>[] excluded;
    /** Per spec: window index -> normalised reason -> churned customers that window leaves out, likewise. */
    final TreeMap<Long, Map<String, Long>>[] excludedReasons;

    @SuppressWarnings("unchecked")
    SegmentState(int specs) {
        coverage = new TreeMap[specs];
        coverageBase = new long[specs][DISTINCT];
        excluded = new TreeMap[specs];
        excludedReasons = new TreeMap[specs];
        for (int i = 0; i < specs; i++) {
            coverage[i] = new TreeMap<>();
            excluded[i] = new TreeMap<>();
            excludedReasons[i] = new TreeMap<>();
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

    /** L at instant {@code at}: the folded base plus customers who churned minus those won back before it. */
    long poolAt(long at) {
        long pool = poolBase;
        for (long[] counts : buckets.headMap(at).values()) {
            pool += poolNet(counts);
        }
        return pool;
    }

    /** {P1, P2, RESP} of window {@code index} of spec {@code spec}: prefix sum of the difference array. */
    long[] distinct(int spec, long index) {
        long[] total = coverageBase[spec].clone();
        for (long[] d : coverage[spec].headMap(index, true).values()) {
            for (int i = 0; i < DISTINCT; i++) {
                total[i] += d[i];
            }
        }
        return total;
    }

    /**
     * C_r of the buckets in [from, to) less what the window leaves out ({@code left}, may be null), capped at
     * {@code reasonsCap} reasons plus {@code other}.
     */
    Map<String, Long> churnedByReason(long from, long to, Map<String, Long> left, int reasonsCap) {
        Map<String, Long> total = new HashMap<>();
        for (Map<String, Long> bucket : reasons.subMap(from, to).values()) {
            bucket.forEach((reason, n) -> total.merge(reason, n, Long::sum));
        }
        if (left != null) {
            left.forEach((reason, n) -> total.merge(reason, -n, Long::sum));
            total.values().removeIf(n -> n == 0);
        }
        return ChurnReasons.capped(total, reasonsCap);
    }

    WindowCounts counts(int spec, long index, long start, long end, int reasonsCap) {
        long[] totals = sum(start, end);
        long[] d = distinct(spec, index);
        long[] left = excluded[spec].get(index);
        if (left != null) {
            for (int i = 0; i < Counter.COUNT; i++) {
                totals[i] -= left[i];
            }
            for (int i = 0; i < DISTINCT; i++) {
                d[i] -= left[Counter.COUNT + i];
            }
        }
        return new WindowCounts(activeAt(start), totals, d[0], d[1], poolAt(start), d[2],
                churnedByReason(start, end, excludedReasons[spec].get(index), reasonsCap));
    }

    /** Net activations (N - C) of one bucket's counts. */
    static long net(long[] counts) {
        return counts[Counter.SIGNUPS.ordinal()] - counts[Counter.CANCELLATIONS.ordinal()];
    }

    /** Net change of the win-back pool (C - WB) of one bucket's counts. */
    static long poolNet(long[] counts) {
        return counts[Counter.CANCELLATIONS.ordinal()] - counts[Counter.WIN_BACKS.ordinal()];
    }
}
