package org.retentionpulse.topology.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.RetentionPulseTopology;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.confidence.MetricIntervals;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.time.UpdateCadence;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * The unlogged {@value MetricHistory#OPEN_STORE} after a restart: a segment-stage task started on the restored
 * {@value SegmentAggregator#STORE} and {@value MetricHistory#STORE} (what the changelogs give back; the open store
 * comes back empty) rebuilds the open windows' records before any input, forwarding nothing, and its first update
 * still re-sends every metric it holds.
 */
class OpenHistoryRebuildTest {
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final TopologyConfig CONFIG = TopologyConfig.defaults().withStores(TopologyConfig.StoreKind.IN_MEMORY)
            .withTopics(TopologyConfig.Topics.defaults().withInputs(List.of("events")))
            .withWindows(List.of(WindowSpec.parse("P1D/P1D"), WindowSpec.parse("P3D/P1D")), Duration.ofHours(6))
            .withUpdateInterval(Duration.ofSeconds(1));

    /** What the first run left: the stores of its segment-stage task. */
    private record Before(Map<AggregateKey, long[]> aggregates, Map<String, MetricUpdate> history, Map<String, MetricUpdate> open) {
    }

    private static Before firstRun() {
        Properties props = RetentionPulseTopology.requiredStreamsProperties(CONFIG);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "open-history-rebuild");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(RetentionPulseTopology.build(CONFIG), props, T0)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic("events", new StringSerializer(), new ByteArraySerializer());
            send(input, "ann", "{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"ann\",\"occurred_at\":\"2024-03-01T01:00:00Z\",\"plan\":\"pro\"}");
            send(input, "bob", "{\"type\":\"signup\",\"event_id\":\"e2\",\"customer_id\":\"bob\",\"occurred_at\":\"2024-03-02T01:00:00Z\",\"plan\":\"basic\"}");
            send(input, "ann", "{\"type\":\"cancellation\",\"event_id\":\"e3\",\"customer_id\":\"ann\",\"occurred_at\":\"2024-03-02T07:00:00Z\",\"reason\":\"price\"}");
            send(input, "bob", "{\"type\":\"purchase\",\"event_id\":\"e4\",\"customer_id\":\"bob\",\"occurred_at\":\"2024-03-02T08:00:00Z\","
                    + "\"order_id\":\"o1\",\"amount\":\"10.00\",\"currency\":\"EUR\"}");
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            Map<AggregateKey, long[]> aggregates = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            try (KeyValueIterator<AggregateKey, long[]> it = driver.<AggregateKey, long[]>getKeyValueStore(SegmentAggregator.STORE).all()) {
                it.forEachRemaining(kv -> aggregates.put(kv.key, kv.value));
            }
            return new Before(aggregates, entries(driver.getKeyValueStore(MetricHistory.STORE)),
                    entries(driver.getKeyValueStore(MetricHistory.OPEN_STORE)));
        }
    }

    private static void send(TestInputTopic<String, byte[]> input, String customer, String json) {
        input.pipeInput(customer, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, MetricUpdate> entries(KeyValueStore<String, MetricUpdate> store) {
        Map<String, MetricUpdate> out = new TreeMap<>();
        try (KeyValueIterator<String, MetricUpdate> it = store.all()) {
            it.forEachRemaining(kv -> out.put(kv.key, kv.value));
        }
        return out;
    }

    private static <K, V> KeyValueStore<K, V> store(MockProcessorContext<String, MetricUpdate> context,
                                                    org.apache.kafka.streams.state.StoreBuilder<KeyValueStore<K, V>> builder) {
        KeyValueStore<K, V> store = builder.withLoggingDisabled().withCachingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    /** The stage's own open-window store, as the topology builds it. */
    private static KeyValueStore<String, MetricUpdate> openStore(MockProcessorContext<String, MetricUpdate> context) {
        KeyValueStore<String, MetricUpdate> store = MetricHistory.openStoreBuilder().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    /** The record without computed_at, which a rebuild sets to its own time. */
    private static MetricUpdate timeless(MetricUpdate u) {
        MetricUpdate copy = MetricUpdate.newBuilder(u).build();
        copy.setComputedAt(Instant.EPOCH);
        return copy;
    }

    @Test
    void aRestartedSegmentTaskRebuildsTheOpenStoreWithTheSameValuesBeforeAnyInputAndForwardsNothing() {
        Before before = firstRun();
        assertFalse(before.open().isEmpty(), "the first run left open windows");
        assertTrue(before.open().keySet().stream().anyMatch(k -> k.startsWith("churn_reason_share|")), "with a reason");

        MockProcessorContext<String, MetricUpdate> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0.plus(Duration.ofHours(1)).toEpochMilli());
        KeyValueStore<AggregateKey, long[]> aggregates = store(context, Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(SegmentAggregator.STORE), AggregateStoreCodec.keys(), AggregateStoreCodec.values()));
        KeyValueStore<String, MetricUpdate> history = store(context, Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(MetricHistory.STORE), Serdes.String(), new MetricUpdateSerde(WireFormat.AVRO)));
        KeyValueStore<String, MetricUpdate> open = openStore(context);
        before.aggregates().forEach(aggregates::put);
        before.history().forEach(history::put);

        SegmentAggregator restarted = new SegmentAggregator(CONFIG.windowSet(), CONFIG.sourcePartitions(), CONFIG.segmentPartitions(),
                new UpdateCadence(CONFIG.updateInterval(), CONFIG.updateInterval()), CONFIG.historyRetention(), new MetricIntervals(CONFIG.confidence()), CONFIG.churn());
        restarted.init(context);

        Map<String, MetricUpdate> rebuilt = entries(open);
        assertEquals(before.open().keySet(), rebuilt.keySet());
        before.open().forEach((key, u) -> assertEquals(timeless(u), timeless(rebuilt.get(key)), key));
        assertTrue(rebuilt.values().stream().allMatch(u -> u.getComputedAt().equals(T0.plus(Duration.ofHours(1)))),
                "computed at the rebuild");
        assertEquals(before.history(), entries(history), "metric-history is untouched");
        assertEquals(List.of(), context.forwarded(), "a rebuild publishes nothing");

        // The first update after the restart still re-sends every metric of every segment it holds, as without a rebuild.
        long[] counts = new long[Counter.COUNT];
        counts[Counter.EVENTS.ordinal()] = 1;
        counts[Counter.ORDERS.ordinal()] = 1;
        counts[Counter.REVENUE_CENTS.ordinal()] = 500;
        long bucket = CONFIG.windowSet().bucketOf(Instant.parse("2024-03-02T09:00:00Z").toEpochMilli());
        restarted.process(new Record<>("all", new SegmentDelta.Batch(0, 0, List.of(new SegmentDelta.Changes("all",
                List.of(new SegmentDelta.BucketChange("all", bucket, counts)), List.of(), List.of(), List.of()))),
                context.currentSystemTimeMs())); // a live record: a stage reading a backlog publishes the latest windows first
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(context.currentSystemTimeMs() + 1_000);
        Set<String> forwarded = new TreeSet<>();
        context.forwarded().forEach(r -> forwarded.add(MetricHistory.key(r.record().value())));
        assertTrue(forwarded.containsAll(rebuilt.keySet()), "every rebuilt key is published again by the first update");
    }

    @Test
    void aStaleOpenStoreOfARecycledTaskIsReplacedByTheRebuild() {
        Before before = firstRun();
        MockProcessorContext<String, MetricUpdate> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0.toEpochMilli());
        KeyValueStore<AggregateKey, long[]> aggregates = store(context, Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(SegmentAggregator.STORE), AggregateStoreCodec.keys(), AggregateStoreCodec.values()));
        store(context, Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(MetricHistory.STORE), Serdes.String(), new MetricUpdateSerde(WireFormat.AVRO)));
        KeyValueStore<String, MetricUpdate> open = openStore(context);
        before.aggregates().forEach(aggregates::put);
        String stale = MetricHistory.key("nps", "P1D/P1D", "plan=gone", 0);
        open.put(stale, before.open().values().iterator().next());

        new SegmentAggregator(CONFIG.windowSet(), CONFIG.sourcePartitions(), CONFIG.segmentPartitions(),
                new UpdateCadence(CONFIG.updateInterval(), CONFIG.updateInterval()), CONFIG.historyRetention(), new MetricIntervals(CONFIG.confidence()), CONFIG.churn()).init(context);

        assertEquals(before.open().keySet(), entries(open).keySet(), "the stale entry is gone, the rest rebuilt");
        assertFalse(entries(open).containsKey(stale));
    }
}
