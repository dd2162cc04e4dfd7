package org.retentionpulse.topology;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.ChurnRiskAlertSerde;
import org.retentionpulse.schemas.serde.EventSerde;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.alerts.ChurnRiskProcessor;
import org.retentionpulse.topology.confidence.MetricIntervals;
import org.retentionpulse.topology.customer.CustomerMetrics;
import org.retentionpulse.topology.customer.CustomerOutput;
import org.retentionpulse.topology.customer.CustomerProcessor;
import org.retentionpulse.topology.errors.DeadLetterHandler;
import org.retentionpulse.topology.metricalerts.MetricAlertStage;
import org.retentionpulse.topology.metrics.MetricHistory;
import org.retentionpulse.topology.metrics.SegmentAggregator;
import org.retentionpulse.topology.metrics.SegmentDelta;
import org.retentionpulse.topology.serde.CustomerProfileSerde;
import org.retentionpulse.topology.serde.CustomerTimelineSerde;
import org.retentionpulse.topology.serde.InputEventDeserializer;
import org.retentionpulse.topology.serde.SegmentDeltaSerde;
import org.retentionpulse.topology.time.WindowSet;

/**
 * Builds the Retention Pulse topology from a {@link TopologyConfig}:
 * <pre>
 *  input topics (any event type, keyed by customer_id)
 *    -> customer-stage   [customer-timelines, seen-event-ids, customer-stream-time]
 *         -> accepted events        -> churn-risk [customer-risk-profiles, customer-risk-due] -> alerts topic
 *         -> late events            -> late-events topic
 *         -> segment deltas         -> segment-deltas repartition topic (to every segment partition)
 *    -> segment-stage    [segment-aggregates, metric-history (queryable)]
 *         -> metric updates         -> metric-updates topic (key metric|window|segment|window_start)
 *         -> final updates -> metric-alert-rules [metric-alert-finals, metric-alert-firing] -> metric-alerts topic
 *            (only when the config has metric alert rules)
 * </pre>
 * Undecodable or invalid input records go to the dead-letter topic through {@link DeadLetterHandler}.
 */
public final class RetentionPulseTopology {
    /** Name of the repartition topic between the stages (prefixed with the application id by Kafka Streams). */
    public static final String SEGMENT_DELTAS = "segment-deltas";

    private RetentionPulseTopology() {
    }

    public static Topology build(TopologyConfig config) {
        WindowSet windows = config.windowSet();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(timelineStore(config));
        builder.addStateStore(eventIdStore(config));
        builder.addStateStore(streamTimeStore(config));
        builder.addStateStore(aggregateStore());
        builder.addStateStore(historyStore(config));
        builder.addStateStore(profileStore(config));
        builder.addStateStore(dueIndexStore(config));

        EventSerde outputEvents = new EventSerde(config.outputFormat(), config.reportingCurrency());
        Serde<SpecificRecord> inputEvents = Serdes.serdeFrom(outputEvents.serializer(),
                new InputEventDeserializer(config.reportingCurrency()));

        KStream<String, CustomerOutput> customerOutputs = builder
                .stream(config.topics().inputs(), Consumed.with(Serdes.String(), inputEvents).withName("customer-events"))
                .process(() -> new CustomerProcessor(windows, config.dimensions(), config.dedupHorizon(), new CustomerMetrics()),
                        Named.as("customer-stage"),
                        CustomerProcessor.TIMELINE_STORE, CustomerProcessor.EVENT_ID_STORE, CustomerProcessor.STREAM_TIME_STORE);

        Map<String, KStream<String, CustomerOutput>> branches = customerOutputs
                .split(Named.as("customer-output-"))
                .branch((k, v) -> v instanceof CustomerOutput.Delta, Branched.as("deltas"))
                .branch((k, v) -> v instanceof CustomerOutput.Observed, Branched.as("observed"))
                .branch((k, v) -> v instanceof CustomerOutput.Late, Branched.as("late"))
                .noDefaultBranch();

        branches.get("customer-output-late")
                .mapValues(v -> ((CustomerOutput.Late) v).event(), Named.as("late-event"))
                .to(config.topics().lateEvents(), Produced.with(Serdes.String(), outputEvents).withName("late-events-sink"));

        branches.get("customer-output-observed")
                .mapValues(v -> (CustomerOutput.Observed) v, Named.as("observed-event"))
                .process(() -> new ChurnRiskProcessor(config.alerts()), Named.as("churn-risk"),
                        ChurnRiskProcessor.PROFILE_STORE, ChurnRiskProcessor.DUE_INDEX_STORE)
                .to(config.topics().alerts(), Produced.with(Serdes.String(),
                        (Serde<ChurnRiskAlert>) new ChurnRiskAlertSerde(config.outputFormat())).withName("alerts-sink"));

        KStream<String, MetricUpdate> updates = branches.get("customer-output-deltas")
                .map((k, v) -> {
                    SegmentDelta delta = ((CustomerOutput.Delta) v).delta();
                    return KeyValue.pair(delta.sourcePartition(), delta);
                }, Named.as("segment-delta"))
                .repartition(Repartitioned.<Integer, SegmentDelta>as(SEGMENT_DELTAS)
                        .withKeySerde(Serdes.Integer())
                        .withValueSerde(new SegmentDeltaSerde())
                        .withNumberOfPartitions(config.segmentPartitions())
                        .withStreamPartitioner(new EverySegmentPartition()))
                .process(() -> new SegmentAggregator(windows, config.sourcePartitions(), config.segmentPartitions(),
                        config.updateInterval(), config.historyRetention(), new MetricIntervals(config.confidence())),
                        Named.as("segment-stage"), SegmentAggregator.STORE, MetricHistory.STORE);
        updates.to(config.topics().metricUpdates(), Produced.with(Serdes.String(),
                        (Serde<MetricUpdate>) new MetricUpdateSerde(config.outputFormat())).withName("metric-updates-sink"));
        MetricAlertStage.attach(builder, updates, config);

        return builder.build();
    }

    /**
     * The streams properties the topology relies on: the dead-letter handler and topic. Callers add
     * bootstrap servers, application id, processing guarantee and the rest.
     */
    public static Properties requiredStreamsProperties(TopologyConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topics().deadLetters());
        return props;
    }

    /*
     * The per-customer stores have no record cache: under exactly-once the cache is flushed at every 100 ms commit
     * and a customer rarely has two events in one, so it saved few writes and cost TreeMap lookups; without it the
     * bench ran 10-25% more events per CPU-second (BENCHMARKS.md).
     */
    private static StoreBuilder<?> timelineStore(TopologyConfig config) {
        KeyValueBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(CustomerProcessor.TIMELINE_STORE)
                : Stores.persistentKeyValueStore(CustomerProcessor.TIMELINE_STORE);
        return Stores.keyValueStoreBuilder(supplier, Serdes.String(), new CustomerTimelineSerde()).withCachingDisabled();
    }

    private static StoreBuilder<?> eventIdStore(TopologyConfig config) {
        Duration retention = config.dedupHorizon();
        Duration size = Duration.ofMillis(1);
        WindowBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryWindowStore(CustomerProcessor.EVENT_ID_STORE, retention, size, false)
                : Stores.persistentWindowStore(CustomerProcessor.EVENT_ID_STORE, retention, size, false);
        return Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.Long());
    }

    private static StoreBuilder<?> streamTimeStore(TopologyConfig config) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CustomerProcessor.STREAM_TIME_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled();
    }

    private static StoreBuilder<?> profileStore(TopologyConfig config) {
        KeyValueBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(ChurnRiskProcessor.PROFILE_STORE)
                : Stores.persistentKeyValueStore(ChurnRiskProcessor.PROFILE_STORE);
        return Stores.keyValueStoreBuilder(supplier, Serdes.String(), new CustomerProfileSerde()).withCachingDisabled();
    }

    private static StoreBuilder<?> dueIndexStore(TopologyConfig config) {
        KeyValueBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(ChurnRiskProcessor.DUE_INDEX_STORE)
                : Stores.persistentKeyValueStore(ChurnRiskProcessor.DUE_INDEX_STORE);
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled();
    }

    private static StoreBuilder<?> aggregateStore() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SegmentAggregator.STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled();
    }

    /**
     * Written per emitted update (not per event); pruned by the aggregator {@code historyRetention} after windows close.
     * No record cache: each key is written at most once per update interval, so the cache coalesced nothing and
     * cost ~30% of the stream thread in the bench (BENCHMARKS.md).
     */
    private static StoreBuilder<?> historyStore(TopologyConfig config) {
        KeyValueBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(MetricHistory.STORE)
                : Stores.persistentKeyValueStore(MetricHistory.STORE);
        return Stores.keyValueStoreBuilder(supplier, Serdes.String(), new MetricUpdateSerde(WireFormat.AVRO)).withCachingDisabled();
    }

    /** Sends every segment delta to every segment-stage partition (each owns a share of the segments). */
    static final class EverySegmentPartition implements StreamPartitioner<Integer, SegmentDelta> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, Integer key, SegmentDelta value, int numPartitions) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
        }
    }
}
