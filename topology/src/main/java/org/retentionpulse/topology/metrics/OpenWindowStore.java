package org.retentionpulse.topology.metrics;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.store.UnloggedStore;
import org.retentionpulse.topology.store.UnloggedStoreBuilder;

/**
 * The {@value MetricHistory#OPEN_STORE} store: the open windows' latest {@link MetricUpdate}s as objects, in a sorted
 * concurrent map, never serialized.
 *
 * <p>Why not Kafka Streams' in-memory store: that one holds bytes, so every update (most of what the segment stage
 * writes, each tick) was Avro-encoded once for this store and once more for its topic, and the store's copy was never
 * read back in bytes: the store is not logged and not restored (the stage rebuilds it), and interactive queries want
 * the objects. Encoding was a top cost of the segment stage. Values are immutable once put (the emitter builds a new
 * update each time), so readers on other threads share them.
 *
 * <p>Keys sort in {@link MetricHistory#KEY_ORDER}, the order of the UTF-8 bytes that Kafka Streams' byte stores (the
 * logged {@value MetricHistory#STORE}) use, so the HTTP API merges the two in one order. Iterators are weakly
 * consistent: an interactive query sees each entry at most once, as of some time during the scan.
 */
final class OpenWindowStore extends UnloggedStore implements KeyValueStore<String, MetricUpdate> {
    private final ConcurrentSkipListMap<Key, MetricUpdate> entries = new ConcurrentSkipListMap<>();

    OpenWindowStore(String name) {
        super(name);
    }

    /** Builds the store without a changelog and without a cache: there is nothing to log or to coalesce. */
    static StoreBuilder<OpenWindowStore> builder(String name) {
        return new UnloggedStoreBuilder<>(name, () -> new OpenWindowStore(name),
                "the segment stage rebuilds it from its logged stores, and it keeps objects, not bytes");
    }

    /** Nothing is ever restored into it: the segment stage rebuilds it from its counts when the task starts. */
    @Override
    protected void closed() {
        entries.clear();
    }

    @Override
    public void put(String key, MetricUpdate value) {
        if (value == null) {
            entries.remove(Key.of(key));
        } else {
            entries.put(Key.of(key), value);
        }
    }

    @Override
    public MetricUpdate putIfAbsent(String key, MetricUpdate value) {
        MetricUpdate previous = entries.get(Key.of(key));
        if (previous == null) {
            put(key, value);
        }
        return previous;
    }

    @Override
    public void putAll(List<KeyValue<String, MetricUpdate>> all) {
        all.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public MetricUpdate delete(String key) {
        return entries.remove(Key.of(key));
    }

    @Override
    public MetricUpdate get(String key) {
        return entries.get(Key.of(key));
    }

    /** Both bounds inclusive, either null for unbounded (as Kafka Streams' stores); empty when from is after to. */
    @Override
    public KeyValueIterator<String, MetricUpdate> range(String from, String to) {
        return new Entries(between(from, to));
    }

    @Override
    public KeyValueIterator<String, MetricUpdate> reverseRange(String from, String to) {
        return new Entries(between(from, to).descendingMap());
    }

    @Override
    public KeyValueIterator<String, MetricUpdate> all() {
        return new Entries(entries);
    }

    @Override
    public KeyValueIterator<String, MetricUpdate> reverseAll() {
        return new Entries(entries.descendingMap());
    }

    @Override
    public long approximateNumEntries() {
        return entries.size();
    }

    private NavigableMap<Key, MetricUpdate> between(String from, String to) {
        if (from != null && to != null && MetricHistory.KEY_ORDER.compare(from, to) > 0) {
            return new ConcurrentSkipListMap<>();
        }
        NavigableMap<Key, MetricUpdate> view = entries;
        view = from == null ? view : view.tailMap(Key.of(from), true);
        return to == null ? view : view.headMap(Key.of(to), true);
    }

    /**
     * A key and whether all its chars are below U+D800. Below it, UTF-16 order ({@link String#compareTo}, a vectorised
     * JIT intrinsic) is code-point order, which is {@link MetricHistory#KEY_ORDER}; only keys with a char from U+D800
     * up take the char-by-char comparison. Why: a put is about 17 comparisons of keys that share their first 40 or so
     * chars (metric, window, segment), and the char-by-char loop was 11 % of the stream thread in the latency phase
     * (BENCHMARKS.md, session 13). The order is {@code KEY_ORDER} for every pair, so mixing both kinds is consistent.
     */
    private record Key(String text, boolean belowSurrogates) implements Comparable<Key> {
        static Key of(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) >= Character.MIN_SURROGATE) {
                    return new Key(text, false);
                }
            }
            return new Key(text, true);
        }

        @Override
        public int compareTo(Key other) {
            return belowSurrogates && other.belowSurrogates ? text.compareTo(other.text) : MetricHistory.KEY_ORDER.compare(text, other.text);
        }
    }

    /** An iterator over a view of the map, with the look-ahead {@link KeyValueIterator#peekNextKey} needs. */
    private static final class Entries implements KeyValueIterator<String, MetricUpdate> {
        private final Iterator<Map.Entry<Key, MetricUpdate>> it;
        private Map.Entry<Key, MetricUpdate> next;

        Entries(NavigableMap<Key, MetricUpdate> view) {
            it = view.entrySet().iterator();
            next = it.hasNext() ? it.next() : null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public KeyValue<String, MetricUpdate> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            KeyValue<String, MetricUpdate> kv = KeyValue.pair(next.getKey().text(), next.getValue());
            next = it.hasNext() ? it.next() : null;
            return kv;
        }

        @Override
        public String peekNextKey() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            return next.getKey().text();
        }

        @Override
        public void close() {
        }
    }
}
