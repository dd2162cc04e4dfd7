package org.retentionpulse.topology.metrics;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.retentionpulse.topology.delta.SegmentDelta;

/**
 * Counters of a segment-stage task, as Kafka Streams custom metrics (group {@code stream-retention-pulse-metrics},
 * tag {@code task-id}): {@value #RECORDS}{@code -total} counts every {@code segment-deltas} record the task reads,
 * {@value #WATERMARKS}{@code -total} the watermark records among them. With segments routed to their owners, a
 * second segment partition halves the changes each task reads; every task still reads every watermark and the
 * changes of segment {@code all}.
 */
public final class SegmentStageMetrics {
    static final String SCOPE = "retention-pulse";
    /** The group Kafka Streams files custom metrics of {@link #SCOPE} under. */
    static final String GROUP = "stream-" + SCOPE + "-metrics";
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

    /** What one segment-stage task has read since it started. */
    public record TaskReads(long records, long watermarks) {
        /** The changes among the records: what routing by segment divides between the tasks. */
        public long changes() {
            return records - watermarks;
        }
    }

    /**
     * The counters of every segment-stage task of a Kafka Streams client, by task id (e.g. {@code 1_0}), from its
     * {@code metrics()}: for the bench and the tests of the routing.
     */
    public static Map<String, TaskReads> readsByTask(Map<MetricName, ? extends Metric> metrics) {
        Map<String, long[]> totals = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            int slot = name.name().equals(RECORDS + "-total") ? 0 : name.name().equals(WATERMARKS + "-total") ? 1 : -1;
            if (slot >= 0 && name.group().equals(GROUP) && metric.metricValue() instanceof Number value) {
                totals.computeIfAbsent(name.tags().get("task-id"), t -> new long[2])[slot] += value.longValue();
            }
        });
        Map<String, TaskReads> reads = new TreeMap<>();
        totals.forEach((task, t) -> reads.put(task, new TaskReads(t[0], t[1])));
        return reads;
    }

    void read(SegmentDelta delta) {
        records.record();
        if (delta instanceof SegmentDelta.Watermark) {
            watermarks.record();
        }
    }
}
