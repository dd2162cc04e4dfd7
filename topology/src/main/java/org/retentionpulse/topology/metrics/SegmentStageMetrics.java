package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.SegmentDelta;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Counters of a segment-stage task, as Kafka Streams custom metrics (group {@code stream-retention-pulse-metrics},
 * tag {@code task-id}): {@value #RECORDS}{@code -total} counts every {@code segment-deltas} record the task reads,
 * {@value #WATERMARKS}{@code -total} the watermark records among them. With segments routed to their owners, a
 * second segment partition halves the changes each task reads; every task still reads every watermark and the
 * changes of segment {@code all}.
 */
final class SegmentStageMetrics {
    static final String SCOPE = "retention-pulse";
    /** Sensor name: segment-deltas records read by this task (changes and watermarks). */
    static final String RECORDS = "segment-delta-records-read";
    /** Sensor name: watermark records read by this task. */
    static final String WATERMARKS = "segment-watermarks-read";

    private final Sensor records;
    private final Sensor watermarks;

    SegmentStageMetrics(ProcessorContext<?, ?> context) {
        StreamsMetrics metrics = context.metrics();
        String task = context.taskId().toString();
        records = metrics.addRateTotalSensor(SCOPE, task, RECORDS, Sensor.RecordingLevel.INFO, "task-id", task);
        watermarks = metrics.addRateTotalSensor(SCOPE, task, WATERMARKS, Sensor.RecordingLevel.INFO, "task-id", task);
    }

    void read(SegmentDelta delta) {
        records.record();
        if (delta instanceof SegmentDelta.Watermark) {
            watermarks.record();
        }
    }
}
