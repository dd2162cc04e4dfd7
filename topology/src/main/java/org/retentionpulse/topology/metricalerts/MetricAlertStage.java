package org.retentionpulse.topology.metricalerts;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.MetricAlertSerde;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.TopologyConfig;

/** Wires the metric alert rules downstream of the segment stage's updates (only when the config has rules). */
public final class MetricAlertStage {
    private MetricAlertStage() {
    }

    /** Adds the rules' stores and processor after {@code updates} and writes alerts to the metric alerts topic. */
    public static void attach(StreamsBuilder builder, KStream<String, MetricUpdate> updates, TopologyConfig config) {
        if (config.metricAlertRules().isEmpty()) {
            return;
        }
        builder.addStateStore(store(config, MetricAlertProcessor.FINALS_STORE, new MetricUpdateSerde(WireFormat.AVRO)));
        builder.addStateStore(store(config, MetricAlertProcessor.FIRING_STORE, Serdes.Long()));
        updates.process(() -> new MetricAlertProcessor(config.metricAlertRules(), config.confidence()),
                        Named.as("metric-alert-rules"), MetricAlertProcessor.FINALS_STORE, MetricAlertProcessor.FIRING_STORE)
                .to(config.topics().metricAlerts(), Produced.with(Serdes.String(),
                        (Serde<MetricAlert>) new MetricAlertSerde(config.outputFormat())).withName("metric-alerts-sink"));
    }

    private static <V> StoreBuilder<?> store(TopologyConfig config, String name, Serde<V> values) {
        KeyValueBytesStoreSupplier supplier = config.stores() == TopologyConfig.StoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentKeyValueStore(name);
        return Stores.keyValueStoreBuilder(supplier, Serdes.String(), values);
    }
}
