package org.retentionpulse.topology;

import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.ModelFit;
import org.retentionpulse.schemas.serde.ChurnRiskAlertSerde;
import org.retentionpulse.schemas.serde.CohortCellSerde;
import org.retentionpulse.schemas.serde.EventSerde;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.schemas.serde.ModelFitSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.alerts.ChurnRiskTracker;
import org.retentionpulse.topology.cohort.CohortAggregator;
import org.retentionpulse.topology.cohort.CohortTriangle;
import org.retentionpulse.topology.combine.DeltaCombiner;
import org.retentionpulse.topology.confidence.MetricIntervals;
import org.retentionpulse.topology.customer.CustomerMetrics;
import org.retentionpulse.topology.customer.CustomerOutput;
import org.retentionpulse.topology.customer.CustomerProcessor;
import org.retentionpulse.topology.errors.DeadLetterHandler;
import org.retentionpulse.topology.metricalerts.MetricAlertStage;
import org.retentionpulse.topology.metrics.MetricHistory;
import org.retentionpulse.topology.metrics.SegmentAggregator;
import org.retentionpulse.topology.metrics.SegmentDeltaPartitioner;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.event.InputRecord;
import org.retentionpulse.topology.serde.CustomerStateSerde;
import org.retentionpulse.topology.serde.ModelFitStateSerde;
import org.retentionpulse.topology.modelfit.FitSampleStore;
import org.retentionpulse.topology.modelfit.ModelRefitter;
import org.retentionpulse.topology.serde.InputRecordSerde;
import org.retentionpulse.topology.serde.SegmentDeltaSerde;
import org.retentionpulse.topology.time.UpdateCadence;
import org.retentionpulse.topology.time.WindowSet;

/**
 * Builds the Retention Pulse topology from a {@link TopologyConfig}:
 * <pre>
 *  input topics (any event type, keyed by customer_id)
 *    -> customer-stage   [customer-state, customer-stream-time, customer-risk-due, customer-model-sample, customer-model]
 *         -> churn-risk alerts      -> alerts topic
 *         -> model fits (daily)     -> retention-model topic (compacted, key segment|partition)
 *         -> late events            -> late-events topic
 *         -> segment deltas -> delta-combiner [segment-delta-journal] (summed per segment and key for 100 ms)
 *                                   -> segment-deltas repartition topic (changes to the segment's owner, watermarks to all)
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
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder, config);
        Map<String, KStream<String, CustomerOutput>> branches = customerStage(builder, config);
        sinkCustomerOutputs(branches, config);
        KStream<String, SegmentDelta> segmentDeltas = segmentDeltas(branches.get("customer-output-deltas"), config);
        segmentAndCohortStages(builder, segmentDeltas, config);
        return builder.build();
    }

    private static void addStores(StreamsBuilder builder, TopologyConfig config) {
        builder.addStateStore(customerStateStore(config));
        builder.addStateStore(streamTimeStore(config));
        builder.addStateStore(dueIndexStore());
        builder.addStateStore(lapseIndexStore(config));
        builder.addStateStore(SegmentAggregator.storeBuilder());
        builder.addStateStore(CohortAggregator.storeBuilder());
        builder.addStateStore(CohortTriangle.storeBuilder());
        builder.addStateStore(historyStore(config));
        builder.addStateStore(MetricHistory.openStoreBuilder());
        builder.addStateStore(fitSampleStore(config));
        builder.addStateStore(modelStore());
        builder.addStateStore(DeltaCombiner.storeBuilder());
        builder.addStateStore(DeltaCombiner.commitHookBuilder());
    }

    /** The input topics through the customer stage, its outputs split by kind ({@code customer-output-<kind>}). */
    private static Map<String, KStream<String, CustomerOutput>> customerStage(StreamsBuilder builder, TopologyConfig config) {
        WindowSet windows = config.windowSet();
        InputRecordSerde inputRecords = new InputRecordSerde(new EventSerde(WireFormat.AVRO, config.reportingCurrency()),
                config.futureGuard());
        return builder
                .stream(config.topics().inputs(), Consumed.with(Serdes.String(), (Serde<InputRecord>) inputRecords)
                        .withName("customer-events"))
                .process(() -> new CustomerProcessor(windows, config.dimensions(), config.dedupHorizon(), config.alerts(),
                                config.modelFitting(), new CustomerMetrics(), config.churn(), config.cohorts()),
                        Named.as("customer-stage"),
                        CustomerProcessor.STATE_STORE, CustomerProcessor.STREAM_TIME_STORE, ChurnRiskTracker.DUE_INDEX_STORE,
                        CustomerProcessor.LAPSE_DUE_STORE, FitSampleStore.STORE, ModelRefitter.STORE)
                .split(Named.as("customer-output-"))
                .branch((k, v) -> v instanceof CustomerOutput.Delta, Branched.as("deltas"))
                .branch((k, v) -> v instanceof CustomerOutput.Alert, Branched.as("alerts"))
                .branch((k, v) -> v instanceof CustomerOutput.Late, Branched.as("late"))
                .branch((k, v) -> v instanceof CustomerOutput.Model, Branched.as("model"))
                .noDefaultBranch();
    }

    /** Late events, churn-risk alerts and model fits go straight to their topics. */
    private static void sinkCustomerOutputs(Map<String, KStream<String, CustomerOutput>> branches, TopologyConfig config) {
        EventSerde outputEvents = new EventSerde(config.outputFormat(), config.reportingCurrency());
        branches.get("customer-output-late")
                .mapValues(v -> ((CustomerOutput.Late) v).event(), Named.as("late-event"))
                .to(config.topics().lateEvents(), Produced.with(Serdes.String(), InputRecordSerde.events(outputEvents))
                        .withName("late-events-sink"));
        branches.get("customer-output-alerts")
                .mapValues(v -> ((CustomerOutput.Alert) v).alert(), Named.as("churn-risk-alert"))
                .to(config.topics().alerts(), Produced.with(Serdes.String(),
                        (Serde<ChurnRiskAlert>) new ChurnRiskAlertSerde(config.outputFormat())).withName("alerts-sink"));
        branches.get("customer-output-model")
                .mapValues(v -> ((CustomerOutput.Model) v).model().toRecord(), Named.as("model-fit"))
                .to(config.topics().model(), Produced.with(Serdes.String(),
                        (Serde<ModelFit>) new ModelFitSerde(config.outputFormat())).withName("model-sink"));
    }

    /** The customer stage's segment changes, combined per task, through the {@value #SEGMENT_DELTAS} repartition topic. */
    private static KStream<String, SegmentDelta> segmentDeltas(KStream<String, CustomerOutput> deltas, TopologyConfig config) {
        WindowSet windows = config.windowSet();
        return deltas
                .mapValues(v -> ((CustomerOutput.Delta) v).delta(), Named.as("segment-delta"))
                .process(() -> new DeltaCombiner(config.combining(), config.segmentPartitions(), windows), Named.as("delta-combiner"),
                        DeltaCombiner.JOURNAL_STORE, DeltaCombiner.COMMIT_HOOK_STORE)
                .selectKey((k, v) -> SegmentDeltaPartitioner.keyOf(v), Named.as("segment-key"))
                .repartition(Repartitioned.<String, SegmentDelta>as(SEGMENT_DELTAS)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new SegmentDeltaSerde())
                        .withNumberOfPartitions(config.segmentPartitions())
                        .withStreamPartitioner(new SegmentDeltaPartitioner()));
    }

    /** The segment stage (metric updates, then the metric alert rules) and the cohort stage, on the same deltas. */
    private static void segmentAndCohortStages(StreamsBuilder builder, KStream<String, SegmentDelta> segmentDeltas,
                                               TopologyConfig config) {
        WindowSet windows = config.windowSet();
        KStream<String, MetricUpdate> updates = segmentDeltas
                .process(() -> new SegmentAggregator(windows, config.sourcePartitions(), config.segmentPartitions(),
                        updateCadence(config), config.historyRetention(), new MetricIntervals(config.confidence()),
                        config.churn()),
                        Named.as("segment-stage"), SegmentAggregator.STORE, MetricHistory.STORE, MetricHistory.OPEN_STORE);
        segmentDeltas
                .process(() -> new CohortAggregator(config.cohorts(), windows, config.sourcePartitions(),
                        config.segmentPartitions(), updateCadence(config), config.historyRetention(), config.confidence()),
                        Named.as("cohort-stage"), CohortAggregator.STORE, CohortTriangle.STORE)
                .to(config.topics().cohorts(), Produced.with(Serdes.String(),
                        (Serde<CohortCell>) new CohortCellSerde(config.outputFormat())).withName("cohorts-sink"));
        updates.to(config.topics().metricUpdates(), Produced.with(Serdes.String(),
                        (Serde<MetricUpdate>) new MetricUpdateSerde(config.outputFormat())).withName("metric-updates-sink"));
        MetricAlertStage.attach(builder, updates, config);
    }

    /** A new stage's update cadence: the update interval, and while behind the combiner's backlog interval. */
    private static UpdateCadence updateCadence(TopologyConfig config) {
        return new UpdateCadence(config.updateInterval(), config.combining().updateBacklogInterval(config.updateInterval()));
    }

    /** The stores built with logging disabled: they have no changelog topic. */
    public static final Set<String> UNLOGGED_STORES = Set.of(MetricHistory.OPEN_STORE, ChurnRiskTracker.DUE_INDEX_STORE,
            DeltaCombiner.COMMIT_HOOK_STORE);

    /**
     * The internal topics Kafka Streams creates for this topology under {@code applicationId}: each store's
     * {@code <id>-<store>-changelog} and each {@code <id>-<name>-repartition}, read from the topology itself (with a
     * metric alert rule, so the metric alert stores are there too: store names do not depend on other settings).
     * Exact names, not a prefix: {@code rp-crash-baseline-...} belongs to {@code rp-crash-baseline}, not {@code rp-crash}.
     */
    public static Set<String> internalTopics(String applicationId) {
        TopologyConfig config = TopologyConfig.defaults();
        config = config.withMetricAlertRules(org.retentionpulse.topology.metricalerts.MetricAlertRules.parse(
                List.of("any threshold metric=churn_rate window=" + config.windows().get(0) + " above=0"), "internal topics",
                config.windows()));
        Set<String> topics = new java.util.TreeSet<>();
        for (org.apache.kafka.streams.TopologyDescription.Subtopology sub : build(config).describe().subtopologies()) {
            for (org.apache.kafka.streams.TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof org.apache.kafka.streams.TopologyDescription.Processor p) {
                    p.stores().stream().filter(store -> !UNLOGGED_STORES.contains(store))
                            .forEach(store -> topics.add(changelogTopic(applicationId, store)));
                } else if (node instanceof org.apache.kafka.streams.TopologyDescription.Source s && s.topicSet() != null) {
                    s.topicSet().stream().filter(t -> t.endsWith("-repartition")).forEach(t -> topics.add(applicationId + "-" + t));
                }
            }
        }
        return topics;
    }

    /** The changelog topic Kafka Streams names for {@code store} under {@code applicationId}. */
    public static String changelogTopic(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
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
    /** One value per customer (timeline, churn-risk profile, recent event ids): one get and one put per event. */
    private static StoreBuilder<?> customerStateStore(TopologyConfig config) {
        KeyValueBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(CustomerProcessor.STATE_STORE)
                : Stores.persistentKeyValueStore(CustomerProcessor.STATE_STORE);
        return Stores.keyValueStoreBuilder(supplier, Serdes.String(), new CustomerStateSerde()).withCachingDisabled();
    }

    private static StoreBuilder<?> streamTimeStore(TopologyConfig config) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CustomerProcessor.STREAM_TIME_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled();
    }

    /** At most the fit sample size of tiny entries per task, written only on purchases of sampled customers. */
    private static StoreBuilder<?> fitSampleStore(TopologyConfig config) {
        KeyValueBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(FitSampleStore.STORE)
                : Stores.persistentKeyValueStore(FitSampleStore.STORE);
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled();
    }

    /** One entry per fitted segment, written once per scheduled fit: in memory, logged. */
    private static StoreBuilder<?> modelStore() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ModelRefitter.STORE), Serdes.String(),
                new ModelFitStateSerde()).withCachingDisabled();
    }

    /**
     * In memory, not logged: each customer's profile in {@value CustomerProcessor#STATE_STORE} remembers its entry, so a
     * starting task rebuilds the index from them ({@link CustomerProcessor}). Why: as a logged RocksDB store each
     * reschedule cost a delete and a put with a changelog record each (5.7 % of a profiled backfill's stream thread),
     * and its tombstones were a fifth of the state on disk (BENCHMARKS.md, session 15).
     */
    private static StoreBuilder<?> dueIndexStore() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ChurnRiskTracker.DUE_INDEX_STORE), Serdes.Bytes(),
                Serdes.ByteArray()).withCachingDisabled().withLoggingDisabled();
    }

    /** Pending lapses under {@code churn.inactivity} (empty under none): a time index like the churn-risk one. */
    private static StoreBuilder<?> lapseIndexStore(TopologyConfig config) {
        return timeIndexStore(config, CustomerProcessor.LAPSE_DUE_STORE);
    }

    private static StoreBuilder<?> timeIndexStore(TopologyConfig config, String name) {
        KeyValueBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentKeyValueStore(name);
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled();
    }

    /**
     * Written per final (open windows' updates go to {@link MetricHistory#OPEN_STORE}); pruned by the aggregator
     * {@code historyRetention} after windows close.
     * No record cache: each key is written at most once per update interval, so the cache coalesced nothing and
     * cost ~30% of the stream thread in the bench (BENCHMARKS.md).
     */
    private static StoreBuilder<?> historyStore(TopologyConfig config) {
        KeyValueBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(MetricHistory.STORE)
                : Stores.persistentKeyValueStore(MetricHistory.STORE);
        return Stores.keyValueStoreBuilder(supplier, Serdes.String(), MetricHistory.valueSerde()).withCachingDisabled();
    }
}
