package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.Counter;

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

    /** Adds the counts of one bucket; a bucket whose windows have all closed only moves the active base. */
    void addBucket(String segment, long bucket, long[] counts, long closedWatermark) {
        SegmentState state = segment(segment);
        if (windows.isLate(bucket, closedWatermark)) {
            state.activeBase += SegmentState.net(counts);
            store.put(new AggregateKey.ActiveBase(segment), new long[] {state.activeBase});
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
    }

    /** Adds a purchaser difference entry; one of a closed window goes straight into the base. */
    void addCoverage(String segment, int spec, long windowIndex, long purchasers, long repeatPurchasers, long closedWatermark) {
        SegmentState state = segment(segment);
        String specName = windows.get(spec).toString();
        if (windowIndex < windows.firstOpenIndex(windows.get(spec), closedWatermark)) {
            state.coverageBase[spec][0] += purchasers;
            state.coverageBase[spec][1] += repeatPurchasers;
            store.put(new AggregateKey.CoverageBase(segment, specName), state.coverageBase[spec].clone());
            return;
        }
        long[] d = state.coverage[spec].computeIfAbsent(windowIndex, k -> new long[2]);
        d[0] += purchasers;
        d[1] += repeatPurchasers;
        AggregateKey key = new AggregateKey.Coverage(segment, specName, windowIndex);
        if (d[0] == 0 && d[1] == 0) {
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
                store.put(new AggregateKey.ActiveBase(segment), new long[] {state.activeBase});
            }
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
            state.activeBase += net;
            changed |= net != 0;
            it.remove();
            store.delete(new AggregateKey.Bucket(segment, e.getKey()));
        }
        return changed;
    }

    private boolean foldCoverage(String segment, SegmentState state, int spec, long closedWatermark) {
        WindowSpec windowSpec = windows.get(spec);
        boolean changed = false;
        Map<Long, long[]> closed = state.coverage[spec].headMap(windows.firstOpenIndex(windowSpec, closedWatermark));
        for (Iterator<Map.Entry<Long, long[]>> it = closed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            state.coverageBase[spec][0] += e.getValue()[0];
            state.coverageBase[spec][1] += e.getValue()[1];
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
                if (key instanceof AggregateKey.Bucket b) {
                    segment(b.segment()).buckets.put(b.bucket(), v);
                } else if (key instanceof AggregateKey.Coverage c) {
                    segment(c.segment()).coverage[spec(c.spec())].put(c.windowIndex(), v);
                } else if (key instanceof AggregateKey.ActiveBase a) {
                    segment(a.segment()).activeBase = v[0];
                } else if (key instanceof AggregateKey.CoverageBase c) {
                    segment(c.segment()).coverageBase[spec(c.spec())] = v;
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
