package org.retentionpulse.topology.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Scans of the due index start where the previous complete scan ended (so RocksDB does not step over the
 * tombstones of every cancelled entry again), yet an entry scheduled earlier than that, e.g. by a late
 * event, is still found.
 */
class DueIndexScanStartTest {

    private static DueIndex index() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ChurnRiskProcessor.DUE_INDEX_STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return new DueIndex(store);
    }

    @Test
    void laterScansStartAtTheLastCheckedInstantButStillFindEntriesScheduledBeforeIt() {
        DueIndex due = index();
        due.schedule("a", 10);
        due.schedule("b", 30);
        assertEquals(List.of(new DueIndex.Due(10, "a")), due.dueBefore(20));
        due.cancel("a", 10);
        assertEquals(List.of(), due.dueBefore(20));

        due.schedule("late", 5); // before everything handed out so far
        assertEquals(List.of(new DueIndex.Due(5, "late")), due.dueBefore(25));
        due.cancel("late", 5);

        assertEquals(List.of(), due.dueBefore(25));
        assertEquals(List.of(new DueIndex.Due(30, "b")), due.dueBefore(31));
        assertEquals(1 + 1 + 1, due.visited(), "each entry is read once: a, late, b");
    }
}
