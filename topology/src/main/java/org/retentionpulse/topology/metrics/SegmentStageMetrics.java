package org.retentionpulse.topology.metrics;

import java.util.List;
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
 * {@value #WATERMARKS}{@code -total} the watermark records among them, {@value #SEGMENT_CHANGES}{@code -total} the
 * segments' changes inside the batches. With segments routed to their owners, a second segment partition halves
 * the segment changes each task applies; every task still reads a batch per input record (with the changes of
 * segment {@code all}) and every watermark.
 */
public final class SegmentStageMetrics {
    static final String SCOPE = "retention-pulse";
    /** The group Kafka Streams files custom metrics of {@link #SCOPE} under. */
    static final String GROUP = "stream-" + SCOPE + "-metrics";
    /** Sensor name: segment-deltas records read by this task (changes and watermarks). */
    static final String RECORDS = "segment-delta-records-read";
    /** Sensor name: watermark records read by this task. */
    static final String WATERMARKS = "segment-watermarks-read";
    /** Sensor name: changes of one segment read by this task (a batch holds one per segment). */
    static final String SEGMENT_CHANGES = "segment-changes-read";

    private final Sensor records;
    private final Sensor watermarks;
    private final Sensor segmentChanges;

    SegmentStageMetrics(ProcessorContext<?, ?> context) {
        StreamsMetrics metrics = context.metrics();
        String task = context.taskId().toString();
        records = metrics.addRateTotalSensor(SCOPE, task, RECORDS, Sensor.RecordingLevel.INFO, "task-id", task);
        watermarks = metrics.addRateTotalSensor(SCOPE, task, WATERMARKS, Sensor.RecordingLevel.INFO, "task-id", task);
        segmentChanges = metrics.addRateTotalSensor(SCOPE, task, SEGMENT_CHANGES, Sensor.RecordingLevel.INFO, "task-id", task);
    }

    /** What one segment-stage task has read since it started. */
    public record TaskReads(long records, long watermarks, long segmentChanges) {
        /** The batches among the records: one per input record for every task. */
        public long batches() {
            return records - watermarks;
        }
    }

    /**
     * The counters of every segment-stage task of a Kafka Streams client, by task id (e.g. {@code 1_0}), from its
     * {@code metrics()}: for the bench and the tests of the routing.
     */
    public static Map<String, TaskReads> readsByTask(Map<MetricName, ? extends Metric> metrics) {
        List<String> names = List.of(RECORDS + "-total", WATERMARKS + "-total", SEGMENT_CHANGES + "-total");
        Map<String, long[]> totals = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            int slot = names.indexOf(name.name());
            if (slot >= 0 && name.group().equals(GROUP) && metric.metricValue() instanceof Number value) {
                totals.computeIfAbsent(name.tags().get("task-id"), t -> new long[names.size()])[slot] += value.longValue();
            }
        });
        Map<String, TaskReads> reads = new TreeMap<>();
        totals.forEach((task, t) -> reads.put(task, new TaskReads(t[0], t[1], t[2])));
        return reads;
    }

    void read(SegmentDelta delta) {
        records.record();
        if (delta instanceof SegmentDelta.Watermark) {
            watermarks.record();
        } else if (delta instanceof SegmentDelta.Batch batch) {
            // A rate-total sensor counts record() calls (its total is a count, not a sum of values): once per change.
            for (int i = 0; i < batch.changes().size(); i++) {
                segmentChanges.record();
            }
        }
    }
}
