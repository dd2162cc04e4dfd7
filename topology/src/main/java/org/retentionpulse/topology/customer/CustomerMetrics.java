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
 * without the topology knowing about either.
 */
public final class CustomerMetrics {
    public static final String SCOPE = "retention-pulse";

    private Sensor duplicates;
    private Sensor late;
    private final Map<EventType, Sensor> accepted = new EnumMap<>(EventType.class);

    void init(ProcessorContext<?, ?> context) {
        StreamsMetrics metrics = context.metrics();
        String task = context.taskId().toString();
        duplicates = metrics.addRateTotalSensor(SCOPE, task, "duplicate-events", Sensor.RecordingLevel.INFO, "task-id", task);
        late = metrics.addRateTotalSensor(SCOPE, task, "late-events", Sensor.RecordingLevel.INFO, "task-id", task);
        for (EventType type : EventType.values()) {
            accepted.put(type, metrics.addRateTotalSensor(SCOPE, task,
                    "accepted-" + type.name().toLowerCase(Locale.ROOT) + "-events", Sensor.RecordingLevel.INFO, "task-id", task));
        }
    }

    void duplicate() {
        duplicates.record();
    }

    void late() {
        late.record();
    }

    void accepted(EventType type) {
        accepted.get(type).record();
    }
}
