package org.retentionpulse.topology.customer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.alerts.ChurnRiskTracker;
import org.retentionpulse.topology.event.CustomerEvent;
import org.retentionpulse.topology.event.InputRecord;
import org.retentionpulse.topology.modelfit.FitSampleStore;
import org.retentionpulse.topology.modelfit.ModelRefitter;
import org.retentionpulse.topology.serde.CustomerStateSerde;
import org.retentionpulse.topology.serde.ModelFitStateSerde;

/**
 * The churn-risk due index is in memory and not logged: a customer task that starts on restored customer states (what
 * the changelog gives back) rebuilds it from the profiles, entry for entry, and drops what a task recycled in place
 * kept.
 */
class DueIndexRebuildTest {
    private static final TopologyConfig CONFIG = TopologyConfig.defaults();

    /** A customer task's stores, all in memory as a restore would leave them. */
    private record TaskStores(MockProcessorContext<String, CustomerOutput> context, KeyValueStore<String, CustomerState> states,
                           KeyValueStore<Bytes, byte[]> due) {
    }

    private static TaskStores task() {
        MockProcessorContext<String, CustomerOutput> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(at("2024-03-10T00:00:00Z"));
        KeyValueStore<String, CustomerState> states = store(context, CustomerProcessor.STATE_STORE, Serdes.String(), new CustomerStateSerde());
        store(context, CustomerProcessor.STREAM_TIME_STORE, Serdes.String(), Serdes.Long());
        KeyValueStore<Bytes, byte[]> due = store(context, ChurnRiskTracker.DUE_INDEX_STORE, Serdes.Bytes(), Serdes.ByteArray());
        store(context, CustomerProcessor.LAPSE_DUE_STORE, Serdes.Bytes(), Serdes.ByteArray());
        store(context, FitSampleStore.STORE, Serdes.Bytes(), Serdes.ByteArray());
        store(context, ModelRefitter.STORE, Serdes.String(), new ModelFitStateSerde());
        return new TaskStores(context, states, due);
    }

    private static <K, V> KeyValueStore<K, V> store(MockProcessorContext<String, CustomerOutput> context, String name,
                                                    Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().withCachingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private static CustomerProcessor processor() {
        return new CustomerProcessor(CONFIG.windowSet(), CONFIG.dimensions(), CONFIG.dedupHorizon(), CONFIG.alerts(),
                CONFIG.modelFitting(), new CustomerMetrics(), CONFIG.churn(), CONFIG.cohorts());
    }

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static List<Bytes> keys(KeyValueStore<Bytes, byte[]> store) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    @Test
    void aTaskStartedOnRestoredCustomerStatesRebuildsTheDueIndexOfTheirProfiles() {
        TaskStores first = task();
        CustomerProcessor running = processor();
        running.init(first.context());
        List<CustomerEvent> events = List.of(
                new CustomerEvent.Signup("s1", "ann", at("2024-03-01T08:00:00Z"), "pro", "DE", "ads"),
                new CustomerEvent.Purchase("p1", "ann", at("2024-03-02T08:00:00Z"), "o1", 1_000, "EUR"),
                new CustomerEvent.Purchase("p2", "ann", at("2024-03-09T08:00:00Z"), "o2", 1_000, "EUR"),
                new CustomerEvent.Signup("s2", "bob", at("2024-03-03T08:00:00Z"), "basic", "FR", "organic"),
                new CustomerEvent.Purchase("p3", "bob", at("2024-03-04T08:00:00Z"), "o3", 2_500, "EUR"),
                new CustomerEvent.Signup("s3", "cid", at("2024-03-05T08:00:00Z"), "pro", "US", "ads"),
                new CustomerEvent.Cancellation("c1", "cid", at("2024-03-06T08:00:00Z"), "price"));
        for (CustomerEvent e : events) {
            running.process(new Record<String, InputRecord>(e.customerId(), e, e.at()));
        }
        List<Bytes> scheduled = keys(first.due());
        assertFalse(scheduled.isEmpty(), "the customers have due checks");

        TaskStores restarted = task();
        try (KeyValueIterator<String, CustomerState> it = first.states().all()) {
            it.forEachRemaining(kv -> restarted.states().put(kv.key, kv.value)); // the restored changelog
        }
        restarted.due().put(Bytes.wrap(new byte[] {1, 2, 3}), new byte[0]); // what a task recycled in place kept
        processor().init(restarted.context());

        assertEquals(scheduled, keys(restarted.due()));
    }
}
