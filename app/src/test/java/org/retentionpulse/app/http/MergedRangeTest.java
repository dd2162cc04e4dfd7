package org.retentionpulse.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.metrics.MetricHistory;

/** The HTTP API's merged read of a task's open-window and final stores. */
class MergedRangeTest {
    private static final long DAY = 86_400_000L;

    private static KeyValueStore<String, MetricUpdate> store(String name) {
        MockProcessorContext<String, MetricUpdate> context = new MockProcessorContext<>();
        KeyValueStore<String, MetricUpdate> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                new MetricUpdateSerde(WireFormat.AVRO)).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    /** The segment stage's own open-window store (objects, not bytes), as the topology builds it. */
    private static KeyValueStore<String, MetricUpdate> openStore() {
        MockProcessorContext<String, MetricUpdate> context = new MockProcessorContext<>();
        KeyValueStore<String, MetricUpdate> store = MetricHistory.openStoreBuilder().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static MetricUpdate nps(long day, boolean isFinal, int value) {
        return new MetricUpdate("nps", "P1D/P1D", Instant.ofEpochMilli(day * DAY), Instant.ofEpochMilli((day + 1) * DAY), "all", null,
                BigDecimal.valueOf(value), null, null, new MetricComponents(), isFinal, Instant.EPOCH);
    }

    private static void put(KeyValueStore<String, MetricUpdate> store, MetricUpdate u) {
        store.put(MetricHistory.key(u), u);
    }

    private static List<String> read(KeyValueStore<String, MetricUpdate> open, KeyValueStore<String, MetricUpdate> history, boolean reverse) {
        List<String> out = new ArrayList<>();
        try (MergedRange it = MergedRange.of(open, history, MetricHistory.key("nps", "P1D/P1D", "all", Long.MIN_VALUE),
                MetricHistory.lastKey("nps", "P1D/P1D", "all", Long.MAX_VALUE), reverse)) {
            it.forEachRemaining(u -> out.add(u.getWindowStart().toEpochMilli() / DAY + (u.getFinal$() ? "F" : "U") + u.getValue().intValue()));
        }
        return out;
    }

    @Test
    void closedAndOpenWindowsReadAsOneSeriesInKeyOrderEitherWay() {
        KeyValueStore<String, MetricUpdate> history = store(MetricHistory.STORE);
        KeyValueStore<String, MetricUpdate> open = openStore();
        put(history, nps(-1, true, 1)); // before the epoch: keys sort by window start across the sign
        put(history, nps(1, true, 2));
        put(open, nps(2, false, 3));
        put(history, nps(3, true, 4));
        put(open, nps(4, false, 5));
        put(open, nps(5, false, 6));

        assertEquals(List.of("-1F1", "1F2", "2U3", "3F4", "4U5", "5U6"), read(open, history, false));
        assertEquals(List.of("5U6", "4U5", "3F4", "2U3", "1F2", "-1F1"), read(open, history, true));
    }

    @Test
    void aKeyInBothStoresIsReadOnceFromTheOpenStore() {
        KeyValueStore<String, MetricUpdate> history = store(MetricHistory.STORE);
        KeyValueStore<String, MetricUpdate> open = openStore();
        put(history, nps(1, true, 1));
        put(history, nps(2, true, 7)); // e.g. left by a version that kept open windows in the history
        put(open, nps(2, false, 8));

        assertEquals(List.of("1F1", "2U8"), read(open, history, false));
        assertEquals(List.of("2U8", "1F1"), read(open, history, true));
    }

    @Test
    void eitherStoreAloneIsReadWhole() {
        KeyValueStore<String, MetricUpdate> history = store(MetricHistory.STORE);
        KeyValueStore<String, MetricUpdate> open = openStore();
        put(open, nps(1, false, 1));
        put(open, nps(2, false, 2));
        assertEquals(List.of("1U1", "2U2"), read(open, history, false));
        assertEquals(List.of("2U2", "1U1"), read(history, open, true));
    }

    @Test
    void reasonsBeyondTheBasicPlaneMergeInTheByteOrderOfTheFinalsStore() {
        // U+FF71 sorts before U+1F600 in UTF-8 bytes (the byte store's order) but after its surrogates in UTF-16.
        KeyValueStore<String, MetricUpdate> history = store(MetricHistory.STORE);
        KeyValueStore<String, MetricUpdate> open = openStore();
        put(history, reasonShare("\uFF71", 1));
        put(open, reasonShare("\uD83D\uDE00", 2));
        put(history, reasonShare("\uD83D\uDE01", 3));
        List<String> forward = new ArrayList<>();
        try (MergedRange it = MergedRange.of(open, history, MetricHistory.key("churn_reason_share", "P1D/P1D", "all", 0),
                MetricHistory.lastKey("churn_reason_share", "P1D/P1D", "all", 0), false)) {
            it.forEachRemaining(u -> forward.add(u.getReason()));
        }
        assertEquals(List.of("\uFF71", "\uD83D\uDE00", "\uD83D\uDE01"), forward);
    }

    private static MetricUpdate reasonShare(String reason, int value) {
        return new MetricUpdate("churn_reason_share", "P1D/P1D", Instant.EPOCH, Instant.ofEpochMilli(DAY), "all", reason,
                BigDecimal.valueOf(value), null, null, new MetricComponents(), false, Instant.EPOCH);
    }
}
