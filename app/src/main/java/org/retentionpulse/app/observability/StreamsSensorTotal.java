package org.retentionpulse.app.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The sum over all tasks of one Kafka Streams cumulative metric (e.g. a custom sensor's {@code -total}), kept
 * monotonic for Prometheus: a task's sensor disappears when the task moves to another instance or thread
 * and restarts at zero when it comes back, so the last value seen of a vanished (or reset) sensor is kept
 * in a retired sum. Counts between the last read and a task's removal are not seen by this instance
 * (the new owner counts from there). Reads are cheap (one pass over the client's metrics map per scrape).
 */
final class StreamsSensorTotal {
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private final Predicate<MetricName> selects;
    private final Map<MetricName, Double> last = new HashMap<>();
    private double retired;

    StreamsSensorTotal(KafkaStreams streams, String group, String name) {
        this(streams::metrics, n -> n.group().equals(group) && n.name().equals(name));
    }

    /** The sum of the metrics {@code selects} picks out of {@code metrics} (a client's metrics map). */
    StreamsSensorTotal(Supplier<Map<MetricName, ? extends Metric>> metrics, Predicate<MetricName> selects) {
        this.metrics = metrics;
        this.selects = selects;
    }

    synchronized double value() {
        Map<MetricName, Double> now = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            if (selects.test(e.getKey()) && e.getValue().metricValue() instanceof Number n) {
                now.put(e.getKey(), n.doubleValue());
            }
        }
        for (Map.Entry<MetricName, Double> e : last.entrySet()) {
            Double current = now.get(e.getKey());
            if (current == null || current < e.getValue()) {
                retired += e.getValue();
            }
        }
        last.clear();
        last.putAll(now);
        double sum = retired;
        for (double v : now.values()) {
            sum += v;
        }
        return sum;
    }
}
