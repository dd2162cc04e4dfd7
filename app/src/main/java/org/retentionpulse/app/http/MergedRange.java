package org.retentionpulse.app.http;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.metrics.MetricHistory;

/**
 * One key range of a segment-stage task's two metric stores, {@value MetricHistory#OPEN_STORE} (open windows) and
 * {@value MetricHistory#STORE} (finals), read as one: both are sorted by the same String keys, so the merge walks them
 * side by side in key order (or reverse key order). A key is in at most one of them, except for a moment while a
 * final is moved (written to the history, then deleted from the open store) and, after an upgrade from a version that
 * kept open windows in the history, until the window's final: then the open store's record wins (in the upgrade case
 * the history's is the stale one).
 */
final class MergedRange implements Iterator<MetricUpdate>, AutoCloseable {
    private final KeyValueIterator<String, MetricUpdate> open;
    private final KeyValueIterator<String, MetricUpdate> history;
    private final boolean reverse;

    private MergedRange(KeyValueIterator<String, MetricUpdate> open, KeyValueIterator<String, MetricUpdate> history, boolean reverse) {
        this.open = open;
        this.history = history;
        this.reverse = reverse;
    }

    /** The records with keys from {@code from} to {@code to} (inclusive) of both stores, by key, or reversed. */
    static MergedRange of(ReadOnlyKeyValueStore<String, MetricUpdate> open, ReadOnlyKeyValueStore<String, MetricUpdate> history,
                          String from, String to, boolean reverse) {
        KeyValueIterator<String, MetricUpdate> openRange = reverse ? open.reverseRange(from, to) : open.range(from, to);
        try {
            return new MergedRange(openRange, reverse ? history.reverseRange(from, to) : history.range(from, to), reverse);
        } catch (RuntimeException e) {
            openRange.close();
            throw e;
        }
    }

    @Override
    public boolean hasNext() {
        return open.hasNext() || history.hasNext();
    }

    @Override
    public MetricUpdate next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (!history.hasNext()) {
            return open.next().value;
        }
        if (!open.hasNext()) {
            return history.next().value;
        }
        int order = MetricHistory.KEY_ORDER.compare(open.peekNextKey(), history.peekNextKey());
        if (order == 0) {
            history.next(); // the same key in both: the open store's (see the class comment)
            return open.next().value;
        }
        return (reverse ? order > 0 : order < 0) ? open.next().value : history.next().value;
    }

    @Override
    public void close() {
        try {
            open.close();
        } finally {
            history.close();
        }
    }
}
