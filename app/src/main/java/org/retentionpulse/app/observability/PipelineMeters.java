package org.retentionpulse.app.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.List;
import java.util.Locale;
import org.retentionpulse.app.pipeline.Pipeline;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.schemas.serde.RejectReason;
import org.retentionpulse.topology.customer.CustomerMetrics;

/**
 * Pipeline-health meters of one instance, read from the counts the pipeline already keeps (no second
 * counting): accepted events by type, duplicates and late events from the customer stage's Kafka Streams
 * sensors ({@link CustomerMetrics}), rejections by reason from the dead-letter listener, and Kafka Streams'
 * own client metrics (lag, process rate, restoration) through Micrometer's binder.
 *
 * <p>Prometheus names: {@code retention_pulse_events_total{type}}, {@code retention_pulse_rejected_total{reason}},
 * {@code retention_pulse_duplicates_total}, {@code retention_pulse_late_events_total},
 * {@code retention_pulse_model_fit_failures_total{segment, reason}} ({@link ModelFitFailures}), {@code kafka_stream_*} (state-store
 * metrics with one {@code store} label whatever the kind of store: {@link StoreTagFilter}).
 */
public final class PipelineMeters implements AutoCloseable {
    static final String SENSOR_GROUP = "stream-" + CustomerMetrics.SCOPE + "-metrics";

    private final KafkaStreamsMetrics streamsMetrics;
    private final ModelFitFailures modelFitFailures;
    /** Function counters hold their state weakly: these references keep the totals alive. */
    private final List<StreamsSensorTotal> totals = new java.util.ArrayList<>();

    public PipelineMeters(MeterRegistry registry, Pipeline pipeline) {
        // First (a filter applies to meters registered after it): in-memory and RocksDB store metrics share one tag key.
        registry.config().meterFilter(new StoreTagFilter());
        for (EventType type : EventType.values()) {
            StreamsSensorTotal total = keep(new StreamsSensorTotal(pipeline.streams(), SENSOR_GROUP,
                    "accepted-" + type.name().toLowerCase(Locale.ROOT) + "-events-total"));
            FunctionCounter.builder("retention.pulse.events", total, StreamsSensorTotal::value)
                    .description("Accepted input events (after validation and deduplication) by type")
                    .tag("type", type.jsonName()).register(registry);
        }
        FunctionCounter.builder("retention.pulse.duplicates", keep(new StreamsSensorTotal(pipeline.streams(), SENSOR_GROUP,
                        "duplicate-events-total")), StreamsSensorTotal::value)
                .description("Input events dropped as duplicates of an event id already seen").register(registry);
        FunctionCounter.builder("retention.pulse.late.events", keep(new StreamsSensorTotal(pipeline.streams(), SENSOR_GROUP,
                        "late-events-total")), StreamsSensorTotal::value)
                .description("Input events later than the grace period for every window (sent to the late-events topic)").register(registry);
        // Every reason is registered up front, so dashboards see zeros rather than missing series.
        for (String reason : reasons()) {
            FunctionCounter.builder("retention.pulse.rejected", pipeline, p -> p.rejected(reason))
                    .description("Input records sent to the dead-letter topic, by reason code")
                    .tag("reason", reason).register(registry);
        }
        modelFitFailures = new ModelFitFailures(registry, pipeline.streams()::metrics, true);
        streamsMetrics = new KafkaStreamsMetrics(pipeline.streams());
        streamsMetrics.bindTo(registry);
    }

    private StreamsSensorTotal keep(StreamsSensorTotal total) {
        totals.add(total);
        return total;
    }

    static List<String> reasons() {
        return java.util.Arrays.stream(RejectReason.values()).map(RejectReason::code).toList();
    }

    @Override
    public void close() {
        modelFitFailures.close();
        streamsMetrics.close();
    }
}
