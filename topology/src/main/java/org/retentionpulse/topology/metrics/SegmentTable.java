package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.Counter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * The segments a segment-stage task holds, in memory and mirrored entry by entry to the
 * {@value SegmentAggregator#STORE} store ({@link AggregateKey}): applying delta changes, folding what every window
 * has closed over into the bases, and restoring from the store.
 */
final class SegmentTable {
    private final WindowSet windows;
    private final KeyValueStore<AggregateKey, long[]> store;
    /** Sorted so output order is deterministic. */
    private final Map<String, SegmentState> segments = new TreeMap<>();
    private final Map<String, Integer> specIndex = new HashMap<>();

    SegmentTable(WindowSet windows, KeyValueStore<AggregateKey, long[]> store) {
        this.windows = windows;
        this.store = store;
        for (int s = 0; s < windows.size(); s++) {
            specIndex.put(windows.get(s).toString(), s);
        }
    }

    SegmentState get(String segment) {
        return segments.get(segment);
    }

    Set<String> names() {
        return segments.keySet();
    }

    /**
     * Adds the counts of one bucket; a bucket whose windows have all closed only moves the active base. The windows
     * containing it that the sending customer task had closed at {@code decidedAt} leave them out.
     */
    void addBucket(String segment, long bucket, long[] counts, long closedWatermark, long decidedAt) {
        SegmentState state = segment(segment);
        if (windows.isLate(bucket, closedWatermark)) {
            state.activeBase += SegmentState.net(counts);
            state.poolBase += SegmentState.poolNet(counts);
            putBases(segment, state);
            return;
        }
        long[] total = state.buckets.computeIfAbsent(bucket, b -> new long[Counter.COUNT]);
        for (int i = 0; i < total.length; i++) {
            total[i] += counts[i];
        }
        AggregateKey key = new AggregateKey.Bucket(segment, bucket);
        if (isZero(total)) {
            state.buckets.remove(bucket);
            store.delete(key);
        } else {
            store.put(key, total);
        }
        for (int s = 0; s < windows.size(); s++) {
            WindowSpec spec = windows.get(s);
            long[] range = closedThereOpenHere(s, spec.firstIndexContaining(bucket), spec.lastIndexContaining(bucket),
                    closedWatermark, decidedAt);
            for (long k = range[0]; k <= range[1]; k++) {
                exclude(segment, state, s, k, 0, counts);
            }
        }
    }

    /**
     * The windows of spec {@code s} in [from, to] that a customer task's stream time {@code decidedAt} had closed
     * while this stage's {@code closedWatermark} has not: {lo, hi}, empty when lo > hi. The customer task decided
     * lateness for them (the one decision), so they leave its changes out.
     */
    private long[] closedThereOpenHere(int s, long from, long to, long closedWatermark, long decidedAt) {
        if (decidedAt == Long.MIN_VALUE || decidedAt <= closedWatermark) {
            return new long[] {0, -1};
        }
        WindowSpec spec = windows.get(s);
        long lo = closedWatermark == Long.MIN_VALUE ? from : Math.max(from, windows.firstOpenIndex(spec, closedWatermark));
        long hi = Math.min(to, windows.firstOpenIndex(spec, decidedAt) - 1);
        return new long[] {lo, hi};
    }

    /** Adds {@code values} at {@code offset} of what window {@code index} of spec {@code s} leaves out. */
    private void exclude(String segment, SegmentState state, int s, long index, int offset, long[] values) {
        long[] left = state.excluded[s].computeIfAbsent(index, k -> new long[SegmentState.EXCLUDED_LENGTH]);
        for (int i = 0; i < values.length; i++) {
            left[offset + i] += values[i];
        }
        AggregateKey key = new AggregateKey.Excluded(segment, windows.get(s).toString(), index);
        if (isZero(left)) {
            state.excluded[s].remove(index);
            store.delete(key);
        } else {
            store.put(key, left.clone());
        }
    }

    /** ActiveBase holds {S, L} of the folded buckets. */
    private void putBases(String segment, SegmentState state) {
        store.put(new AggregateKey.ActiveBase(segment), new long[] {state.activeBase, state.poolBase});
    }

    /**
     * Adds churned customers of one reason in one bucket; a bucket whose windows have all closed has no lasting
     * effect of its reasons (C itself is in the bucket's counts).
     */
    void addReason(String segment, long bucket, String reason, long churned, long closedWatermark, long decidedAt) {
        if (windows.isLate(bucket, closedWatermark)) {
            return;
        }
        for (int s = 0; s < windows.size(); s++) {
            WindowSpec spec = windows.get(s);
            long[] range = closedThereOpenHere(s, spec.firstIndexContaining(bucket), spec.lastIndexContaining(bucket),
                    closedWatermark, decidedAt);
            for (long k = range[0]; k <= range[1]; k++) {
                excludeReason(segment, s, k, reason, churned);
            }
        }
        Map<String, Long> byReason = segment(segment).reasons.computeIfAbsent(bucket, b -> new HashMap<>());
        long n = byReason.merge(reason, churned, Long::sum);
        AggregateKey key = new AggregateKey.Reason(segment, bucket, reason);
        if (n == 0) {
            byReason.remove(reason);
            if (byReason.isEmpty()) {
                segment(segment).reasons.remove(bucket);
            }
            store.delete(key);
        } else {
            store.put(key, new long[] {n});
        }
    }

    private void excludeReason(String segment, int s, long index, String reason, long churned) {
        SegmentState state = segment(segment);
        Map<String, Long> left = state.excludedReasons[s].computeIfAbsent(index, k -> new HashMap<>());
        long n = left.merge(reason, churned, Long::sum);
        AggregateKey key = new AggregateKey.ExcludedReason(segment, windows.get(s).toString(), index, reason);
        if (n == 0) {
            left.remove(reason);
            if (left.isEmpty()) {
                state.excludedReasons[s].remove(index);
            }
            store.delete(key);
        } else {
            store.put(key, new long[] {n});
        }
    }

    /**
     * Adds a distinct-customer difference entry {ΔP1, ΔP2, ΔRESP}; one of a closed window goes straight into the base.
     * The windows from its index on that the sending customer task had closed at {@code decidedAt} leave it out.
     */
    void addCoverage(String segment, int spec, long windowIndex, long[] change, long closedWatermark, long decidedAt) {
        SegmentState state = segment(segment);
        long[] range = closedThereOpenHere(spec, windowIndex, Long.MAX_VALUE, closedWatermark, decidedAt);
        for (long k = range[0]; k <= range[1]; k++) {
            exclude(segment, state, spec, k, Counter.COUNT, change);
        }
        String specName = windows.get(spec).toString();
        if (windowIndex < windows.firstOpenIndex(windows.get(spec), closedWatermark)) {
            for (int i = 0; i < SegmentState.DISTINCT; i++) {
                state.coverageBase[spec][i] += change[i];
            }
            store.put(new AggregateKey.CoverageBase(segment, specName), state.coverageBase[spec].clone());
            return;
        }
        long[] d = state.coverage[spec].computeIfAbsent(windowIndex, k -> new long[SegmentState.DISTINCT]);
        for (int i = 0; i < SegmentState.DISTINCT; i++) {
            d[i] += change[i];
        }
        AggregateKey key = new AggregateKey.Coverage(segment, specName, windowIndex);
        if (isZero(d)) {
            state.coverage[spec].remove(windowIndex);
            store.delete(key);
        } else {
            store.put(key, d);
        }
    }

    /** Drops buckets and difference entries whose windows have all closed, keeping their lasting effect in the bases. */
    void fold(long closedWatermark) {
        for (Map.Entry<String, SegmentState> entry : segments.entrySet()) {
            String segment = entry.getKey();
            SegmentState state = entry.getValue();
            if (foldBuckets(segment, state, closedWatermark)) {
                putBases(segment, state);
            }
            foldReasons(segment, state, closedWatermark);
            dropExclusions(segment, state, closedWatermark);
            for (int s = 0; s < windows.size(); s++) {
                if (foldCoverage(segment, state, s, closedWatermark)) {
                    store.put(new AggregateKey.CoverageBase(segment, windows.get(s).toString()), state.coverageBase[s].clone());
                }
            }
        }
    }

    private boolean foldBuckets(String segment, SegmentState state, long closedWatermark) {
        boolean changed = false;
        for (Iterator<Map.Entry<Long, long[]>> it = state.buckets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            if (!windows.isLate(e.getKey(), closedWatermark)) {
                break;
            }
            long net = SegmentState.net(e.getValue());
            long poolNet = SegmentState.poolNet(e.getValue());
            state.activeBase += net;
            state.poolBase += poolNet;
            changed |= net != 0 || poolNet != 0;
            it.remove();
            store.delete(new AggregateKey.Bucket(segment, e.getKey()));
        }
        return changed;
    }

    private void foldReasons(String segment, SegmentState state, long closedWatermark) {
        for (Iterator<Map.Entry<Long, Map<String, Long>>> it = state.reasons.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Map<String, Long>> e = it.next();
            if (!windows.isLate(e.getKey(), closedWatermark)) {
                break;
            }
            for (String reason : e.getValue().keySet()) {
                store.delete(new AggregateKey.Reason(segment, e.getKey(), reason));
            }
            it.remove();
        }
    }

    /** What closed windows left out is no longer needed: their finals are out. */
    private void dropExclusions(String segment, SegmentState state, long closedWatermark) {
        for (int s = 0; s < windows.size(); s++) {
            String spec = windows.get(s).toString();
            long firstOpen = windows.firstOpenIndex(windows.get(s), closedWatermark);
            for (Iterator<Long> it = state.excluded[s].headMap(firstOpen).keySet().iterator(); it.hasNext(); ) {
                store.delete(new AggregateKey.Excluded(segment, spec, it.next()));
                it.remove();
            }
            for (Iterator<Map.Entry<Long, Map<String, Long>>> it = state.excludedReasons[s].headMap(firstOpen).entrySet().iterator();
                 it.hasNext(); ) {
                Map.Entry<Long, Map<String, Long>> e = it.next();
                for (String reason : e.getValue().keySet()) {
                    store.delete(new AggregateKey.ExcludedReason(segment, spec, e.getKey(), reason));
                }
                it.remove();
            }
        }
    }

    private boolean foldCoverage(String segment, SegmentState state, int spec, long closedWatermark) {
        WindowSpec windowSpec = windows.get(spec);
        boolean changed = false;
        Map<Long, long[]> closed = state.coverage[spec].headMap(windows.firstOpenIndex(windowSpec, closedWatermark));
        for (Iterator<Map.Entry<Long, long[]>> it = closed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            for (int i = 0; i < SegmentState.DISTINCT; i++) {
                state.coverageBase[spec][i] += e.getValue()[i];
            }
            changed = true;
            it.remove();
            store.delete(new AggregateKey.Coverage(segment, windowSpec.toString(), e.getKey()));
        }
        return changed;
    }

    /** Rebuilds the segments from the store and hands the watermark entries to {@code watermarks}. */
    void restore(SourceWatermarks watermarks) {
        try (KeyValueIterator<AggregateKey, long[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<AggregateKey, long[]> kv = it.next();
                AggregateKey key = kv.key;
                long[] v = kv.value;
                // Entries written before section 8 are shorter (fewer counters, no RESP, no pool): zero-padded.
                if (key instanceof AggregateKey.Bucket b) {
                    segment(b.segment()).buckets.put(b.bucket(), Arrays.copyOf(v, Counter.COUNT));
                } else if (key instanceof AggregateKey.Coverage c) {
                    segment(c.segment()).coverage[spec(c.spec())].put(c.windowIndex(), Arrays.copyOf(v, SegmentState.DISTINCT));
                } else if (key instanceof AggregateKey.ActiveBase a) {
                    segment(a.segment()).activeBase = v[0];
                    segment(a.segment()).poolBase = v.length > 1 ? v[1] : 0;
                } else if (key instanceof AggregateKey.CoverageBase c) {
                    segment(c.segment()).coverageBase[spec(c.spec())] = Arrays.copyOf(v, SegmentState.DISTINCT);
                } else if (key instanceof AggregateKey.Reason r) {
                    segment(r.segment()).reasons.computeIfAbsent(r.bucket(), x -> new HashMap<>()).put(r.reason(), v[0]);
                } else if (key instanceof AggregateKey.Excluded x) {
                    segment(x.segment()).excluded[spec(x.spec())].put(x.windowIndex(), Arrays.copyOf(v, SegmentState.EXCLUDED_LENGTH));
                } else if (key instanceof AggregateKey.ExcludedReason x) {
                    segment(x.segment()).excludedReasons[spec(x.spec())].computeIfAbsent(x.windowIndex(), k -> new HashMap<>())
                            .put(x.reason(), v[0]);
                } else if (key instanceof AggregateKey.Watermark w) {
                    watermarks.advance(w.sourcePartition(), v[0]);
                }
            }
        }
    }

    private int spec(String name) {
        Integer index = specIndex.get(name);
        if (index == null) {
            throw new IllegalStateException(SegmentAggregator.STORE + " holds entries of window spec " + name
                    + ", which is not configured (configured: " + specIndex.keySet() + "); reset the application to change windows");
        }
        return index;
    }

    private SegmentState segment(String name) {
        return segments.computeIfAbsent(name, n -> new SegmentState(windows.size()));
    }

    private static boolean isZero(long[] values) {
        for (long v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
