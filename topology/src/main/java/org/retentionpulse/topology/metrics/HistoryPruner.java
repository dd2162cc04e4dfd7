package org.retentionpulse.topology.metrics;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * Deletes {@value MetricHistory#STORE} entries of windows that ended more than the history retention before the
 * closed watermark minus grace (once per bucket of progress), and {@value MetricHistory#OPEN_STORE} entries of windows
 * that closed (a final moves its key to the history; this catches a segment whose window had updates but no final).
 * Per segment, spec and metric one key range.
 */
final class HistoryPruner {
    private final WindowSet windows;
    private final long retentionMs;
    private final KeyValueStore<String, MetricUpdate> history;
    private final KeyValueStore<String, MetricUpdate> open;
    /** History is pruned up to this window end (exclusive), in whole buckets. */
    private long prunedTo = Long.MIN_VALUE;

    HistoryPruner(WindowSet windows, long retentionMs, KeyValueStore<String, MetricUpdate> history,
                  KeyValueStore<String, MetricUpdate> open) {
        this.windows = windows;
        this.retentionMs = retentionMs;
        this.history = history;
        this.open = open;
    }

    /**
     * Windows {@code [fromIndex, firstOpen)} of spec {@code s} have closed ({@code fromIndex} the first open one before,
     * {@code Long.MIN_VALUE} at the first close): none of them keeps an open entry. Windows below {@code fromIndex} had
     * theirs deleted at an earlier close, or were never rebuilt after a restore.
     */
    void closed(int s, long fromIndex, long firstOpen, Iterable<String> segments) {
        if (fromIndex >= firstOpen) {
            return;
        }
        WindowSpec spec = windows.get(s);
        long firstStart = fromIndex == Long.MIN_VALUE ? Long.MIN_VALUE : spec.start(fromIndex);
        long lastStart = spec.start(firstOpen - 1);
        for (String segment : segments) {
            for (Metric metric : Metric.values()) {
                deleteRange(open, MetricHistory.key(metric.key(), spec.toString(), segment, firstStart),
                        MetricHistory.lastKey(metric.key(), spec.toString(), segment, lastStart));
            }
        }
    }

    void prune(long closedWatermark, Iterable<String> segments) {
        if (closedWatermark == Long.MIN_VALUE) {
            return;
        }
        long cutoff = Math.floorDiv(closedWatermark - windows.graceMs() - retentionMs, windows.bucketMs()) * windows.bucketMs();
        if (cutoff <= prunedTo) {
            return;
        }
        long previousCutoff = prunedTo;
        prunedTo = cutoff;
        for (String segment : segments) {
            for (int s = 0; s < windows.size(); s++) {
                WindowSpec spec = windows.get(s);
                // windows with end <= cutoff, i.e. start <= cutoff - size
                long lastStart = cutoff - spec.sizeMs();
                // Start after what the previous pass deleted: a scan from the smallest start would step over the
                // RocksDB tombstones of every window ever pruned. After a restart the first pass starts at the bottom.
                long firstStart = previousCutoff == Long.MIN_VALUE ? Long.MIN_VALUE : previousCutoff - spec.sizeMs() + 1;
                for (Metric metric : Metric.values()) {
                    deleteRange(history, MetricHistory.key(metric.key(), spec.toString(), segment, firstStart),
                            MetricHistory.lastKey(metric.key(), spec.toString(), segment, lastStart));
                }
            }
        }
    }

    private static void deleteRange(KeyValueStore<String, MetricUpdate> store, String from, String to) {
        List<String> doomed = new ArrayList<>();
        try (KeyValueIterator<String, MetricUpdate> it = store.range(from, to)) {
            it.forEachRemaining(kv -> doomed.add(kv.key));
        }
        doomed.forEach(store::delete);
    }
}
