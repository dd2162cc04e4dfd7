package org.retentionpulse.topology.metrics;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.retentionpulse.schemas.MetricUpdate;

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
final class OpenWindowStore implements KeyValueStore<String, MetricUpdate> {
    private final String name;
    private final ConcurrentSkipListMap<String, MetricUpdate> entries = new ConcurrentSkipListMap<>(MetricHistory.KEY_ORDER);
    private volatile boolean open;

    OpenWindowStore(String name) {
        this.name = name;
    }

    /** Builds the store without a changelog and without a cache: there is nothing to log or to coalesce. */
    static StoreBuilder<OpenWindowStore> builder(String name) {
        return new Builder(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // Not logged, so nothing is ever restored into it: the segment stage rebuilds it from its counts at init.
        context.register(root, (key, value) -> {
        });
        open = true;
    }

    @Override
    public void close() {
        entries.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void put(String key, MetricUpdate value) {
        if (value == null) {
            entries.remove(key);
        } else {
            entries.put(key, value);
        }
    }

    @Override
    public MetricUpdate putIfAbsent(String key, MetricUpdate value) {
        MetricUpdate previous = entries.get(key);
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
        return entries.remove(key);
    }

    @Override
    public MetricUpdate get(String key) {
        return entries.get(key);
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

    private NavigableMap<String, MetricUpdate> between(String from, String to) {
        if (from != null && to != null && MetricHistory.KEY_ORDER.compare(from, to) > 0) {
            return new ConcurrentSkipListMap<>(MetricHistory.KEY_ORDER);
        }
        NavigableMap<String, MetricUpdate> view = entries;
        view = from == null ? view : view.tailMap(from, true);
        return to == null ? view : view.headMap(to, true);
    }

    /** An iterator over a view of the map, with the look-ahead {@link KeyValueIterator#peekNextKey} needs. */
    private static final class Entries implements KeyValueIterator<String, MetricUpdate> {
        private final Iterator<Map.Entry<String, MetricUpdate>> it;
        private Map.Entry<String, MetricUpdate> next;

        Entries(NavigableMap<String, MetricUpdate> view) {
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
            KeyValue<String, MetricUpdate> kv = KeyValue.pair(next.getKey(), next.getValue());
            next = it.hasNext() ? it.next() : null;
            return kv;
        }

        @Override
        public String peekNextKey() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            return next.getKey();
        }

        @Override
        public void close() {
        }
    }

    private static final class Builder implements StoreBuilder<OpenWindowStore> {
        private final String name;

        Builder(String name) {
            this.name = name;
        }

        @Override
        public StoreBuilder<OpenWindowStore> withCachingEnabled() {
            throw new UnsupportedOperationException(name + " keeps objects: a record cache of bytes does not apply");
        }

        @Override
        public StoreBuilder<OpenWindowStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<OpenWindowStore> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException(name + " is rebuilt by the segment stage, never logged");
        }

        @Override
        public StoreBuilder<OpenWindowStore> withLoggingDisabled() {
            return this;
        }

        @Override
        public OpenWindowStore build() {
            return new OpenWindowStore(name);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
