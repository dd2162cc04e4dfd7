package org.retentionpulse.topology.customer;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.retentionpulse.schemas.serde.EventType;

/**
 * Counters of the customer stage, registered as Kafka Streams custom metrics (group
 * {@code stream-retention-pulse-metrics}), so they reach any metrics reporter and the Micrometer binder
 * without the topology knowing about either. Late events are counted in total ({@code late-events}) and per
 * {@link LateReason} ({@code late-events-beyond-grace}).
 */
public final class CustomerMetrics {
    public static final String SCOPE = "retention-pulse";

    private Sensor duplicates;
    private Sensor late;
    private final Map<LateReason, Sensor> lateByReason = new EnumMap<>(LateReason.class);
    private final Map<EventType, Sensor> accepted = new EnumMap<>(EventType.class);

    void init(ProcessorContext<?, ?> context) {
        StreamsMetrics metrics = context.metrics();
        String task = context.taskId().toString();
        duplicates = metrics.addRateTotalSensor(SCOPE, task, "duplicate-events", Sensor.RecordingLevel.INFO, "task-id", task);
        late = metrics.addRateTotalSensor(SCOPE, task, "late-events", Sensor.RecordingLevel.INFO, "task-id", task);
        for (LateReason reason : LateReason.values()) {
            lateByReason.put(reason, metrics.addRateTotalSensor(SCOPE, task, "late-events-" + reason.code().replace('_', '-'),
                    Sensor.RecordingLevel.INFO, "task-id", task));
        }
        for (EventType type : EventType.values()) {
            accepted.put(type, metrics.addRateTotalSensor(SCOPE, task,
                    "accepted-" + type.name().toLowerCase(Locale.ROOT) + "-events", Sensor.RecordingLevel.INFO, "task-id", task));
        }
    }

    void duplicate() {
        duplicates.record();
    }

    void late(LateReason reason) {
        late.record();
        lateByReason.get(reason).record();
    }

    void accepted(EventType type) {
        accepted.get(type).record();
    }
}
