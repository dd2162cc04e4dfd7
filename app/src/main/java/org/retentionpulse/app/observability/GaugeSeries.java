package org.retentionpulse.app.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The series of one gauge name whose set of label values changes now and then (a segment appears, a window has no
 * record yet) and whose values change all the time. {@link #publish} sets the values in place, read by the registry
 * at scrape time, and registers with Micrometer only when the set of series changed.
 *
 * <p>Why not {@code MultiGauge.register(rows, true)} on every change: that removes and re-registers every row, hashing
 * and comparing thousands of meter ids each time. Called after every poll of the output monitor, it took the monitor's
 * thread a whole core in the bench's latency phase (a JFR profile: {@code Tags.tagsEqual} and {@code String.hashCode}
 * the top frames), competing with the stream thread on a small machine. Registering without overwrite also keeps a
 * series' meter for good while it exists, so a scrape never sees a row half replaced (micrometer#6851).
 */
final class GaugeSeries {
    /** One series' current value; the registry reads it at scrape time. */
    private static final class Value {
        private volatile double value;

        double get() {
            return value;
        }
    }

    private final MultiGauge gauge;
    private final String[] labelNames;
    /** Label values (in the order of {@link #labelNames}) -> the value its registered gauge reads. */
    private Map<List<String>, Value> series = Map.of();

    GaugeSeries(MeterRegistry registry, String name, String description, String... labelNames) {
        this.gauge = MultiGauge.builder(name).description(description).register(registry);
        this.labelNames = labelNames.clone();
    }

    /** Makes {@code values} (label values -> value) the gauge's series: those not in it are removed. */
    void publish(Map<List<String>, Double> values) {
        if (values.keySet().equals(series.keySet())) {
            values.forEach((labels, value) -> series.get(labels).value = value);
            return;
        }
        Map<List<String>, Value> next = new HashMap<>();
        List<MultiGauge.Row<?>> rows = new ArrayList<>(values.size());
        values.forEach((labels, value) -> {
            Value holder = series.getOrDefault(labels, new Value());
            holder.value = value; // before it is registered: a scrape never reads a new series' placeholder
            next.put(labels, holder);
            rows.add(MultiGauge.Row.of(tags(labels), holder, Value::get));
        });
        series = next;
        // Without overwrite: a series already registered keeps its meter (reading the same holder), new ones are
        // added and the ones missing from rows are removed.
        gauge.register(rows, false);
    }

    private Tags tags(List<String> labelValues) {
        if (labelValues.size() != labelNames.length) {
            throw new IllegalArgumentException("expected values for " + String.join(", ", labelNames) + ", got " + labelValues);
        }
        Tags tags = Tags.empty();
        for (int i = 0; i < labelNames.length; i++) {
            tags = tags.and(labelNames[i], labelValues.get(i));
        }
        return tags;
    }
}
