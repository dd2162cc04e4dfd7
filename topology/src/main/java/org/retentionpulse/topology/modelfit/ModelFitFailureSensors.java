package org.retentionpulse.topology.modelfit;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.retentionpulse.topology.customer.CustomerMetrics;
import org.retentionpulse.topology.model.ModelFitException;

/**
 * Failed model fits counted as Kafka Streams custom metrics (group {@code stream-retention-pulse-metrics}, like
 * {@link CustomerMetrics}): metric {@value #METRIC}{@code -total} with tags {@code task-id}, {@value #SEGMENT_TAG}
 * and {@value #REASON_TAG} ({@link ModelFitException.Reason#code()}); the app exports their sum over tasks as
 * {@code retention_pulse_model_fit_failures_total{segment, reason}}. A sensor is created at a segment's first
 * failure of a reason, so their number is bounded by the segments fitted ({@link ModelRefitter}) times the reasons.
 */
public final class ModelFitFailureSensors implements ModelRefitter.Failures {
    public static final String METRIC = "model-fit-failures";
    public static final String SEGMENT_TAG = "segment";
    public static final String REASON_TAG = "reason";

    private final StreamsMetrics metrics;
    private final String task;
    private final Map<String, Sensor> sensors = new HashMap<>();

    public ModelFitFailureSensors(ProcessorContext<?, ?> context) {
        this.metrics = context.metrics();
        this.task = context.taskId().toString();
    }

    @Override
    public void failed(String segment, ModelFitException.Reason reason) {
        // Kafka Streams names a sensor by thread, entity and operation: the entity carries task, segment and reason,
        // or two (segment, reason) pairs would share one sensor and count each other's failures.
        String entity = task + "|" + segment + "|" + reason.code();
        sensors.computeIfAbsent(entity, e -> metrics.addRateTotalSensor(CustomerMetrics.SCOPE, e, METRIC,
                Sensor.RecordingLevel.INFO, "task-id", task, SEGMENT_TAG, segment, REASON_TAG, reason.code())).record();
    }
}
