package org.retentionpulse.topology.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.schemas.MetricUpdate;

/** The open-window store keeps objects but behaves as Kafka Streams' key-value stores do. */
class OpenWindowStoreTest {

    private static KeyValueStore<String, MetricUpdate> store() {
        KeyValueStore<String, MetricUpdate> store = MetricHistory.openStoreBuilder().build();
        store.init(new MockProcessorContext<String, MetricUpdate>().getStateStoreContext(), store);
        return store;
    }

    private static MetricUpdate update(int value) {
        return new MetricUpdate("nps", "P1D/P1D", Instant.EPOCH, Instant.EPOCH, "all", null, BigDecimal.valueOf(value), null, null,
                new MetricComponents(), false, Instant.EPOCH);
    }

    private static List<String> keys(KeyValueIterator<String, MetricUpdate> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                String peeked = it.peekNextKey();
                KeyValue<String, MetricUpdate> kv = it.next();
                assertEquals(peeked, kv.key);
                out.add(kv.key);
            }
        }
        return out;
    }

    @Test
    void rangesAreInclusiveOpenEndedWithNullAndEmptyWhenReversed() {
        KeyValueStore<String, MetricUpdate> store = store();
        for (String k : List.of("a", "b", "c", "d")) {
            store.put(k, update(1));
        }
        assertEquals(List.of("b", "c"), keys(store.range("b", "c")));
        assertEquals(List.of("c", "b"), keys(store.reverseRange("b", "c")));
        assertEquals(List.of("a", "b"), keys(store.range(null, "b")));
        assertEquals(List.of("c", "d"), keys(store.range("c", null)));
        assertEquals(List.of(), keys(store.range("c", "b")), "from after to: nothing, as Kafka Streams' stores");
        assertEquals(List.of("d", "c", "b", "a"), keys(store.reverseAll()));
        assertEquals(4, store.approximateNumEntries());
    }

    @Test
    void putOfNullDeletesAndValuesAreTheObjectsPut() {
        KeyValueStore<String, MetricUpdate> store = store();
        MetricUpdate u = update(7);
        store.put("k", u);
        assertSame(u, store.get("k"), "never serialized");
        assertSame(u, store.putIfAbsent("k", update(8)));
        store.put("k", null);
        assertNull(store.get("k"));
        assertNull(store.putIfAbsent("k", u));
        assertSame(u, store.delete("k"));
        assertEquals(List.of(), keys(store.all()));
    }

    @Test
    void aReplacedValueIsWhatGetsAndScansSeeAndTheKeyCountsOnce() {
        KeyValueStore<String, MetricUpdate> store = store();
        store.put("b", update(1));
        store.put("a", update(1));
        MetricUpdate latest = update(2);
        store.put("b", latest);
        assertSame(latest, store.get("b"));
        assertEquals(2, store.approximateNumEntries());
        List<MetricUpdate> scanned = new ArrayList<>();
        try (KeyValueIterator<String, MetricUpdate> it = store.range("b", "b")) {
            it.forEachRemaining(kv -> scanned.add(kv.value));
        }
        assertEquals(List.of(latest), scanned);
        store.delete("b");
        assertNull(store.get("b"));
        assertEquals(List.of("a"), keys(store.all()));
        assertEquals(1, store.approximateNumEntries());
        store.put("b", update(3));
        assertEquals(List.of("a", "b"), keys(store.all()), "a deleted key can come back");
    }

    @Test
    void keysSortAsTheUtf8BytesOfTheLoggedStoreDo() {
        Random random = new Random(42);
        String[] alphabet = {"a", "|", "}", "\u00e9", "\uFF71", "\uE000", "\uD7FF", "\uD83D\uDE00", "\uD83D\uDE01", "\uDBFF\uDFFF"};
        KeyValueStore<String, MetricUpdate> store = store();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            StringBuilder key = new StringBuilder();
            for (int n = random.nextInt(4); n >= 0; n--) {
                key.append(alphabet[random.nextInt(alphabet.length)]);
            }
            written.add(key.toString());
            store.put(key.toString(), update(i));
        }
        Bytes[] utf8 = written.stream().distinct().map(k -> Bytes.wrap(k.getBytes(StandardCharsets.UTF_8))).toArray(Bytes[]::new);
        Arrays.sort(utf8); // Bytes compare as unsigned bytes, the order of Kafka Streams' byte stores
        List<String> expected = Arrays.stream(utf8).map(b -> new String(b.get(), StandardCharsets.UTF_8)).toList();
        assertEquals(expected, keys(store.all()));
        assertTrue(expected.size() > 100, "enough distinct keys to order: " + expected.size());
    }
}
