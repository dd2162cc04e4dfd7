package org.retentionpulse.app.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Where the stream threads' wall-clock time goes, from Kafka Streams' own metrics: per thread the share of each loop
 * iteration spent polling, processing, punctuating and committing ({@code stream-thread-metrics}, averaged over the
 * metrics window) with the mean and longest commit and punctuation; the main consumer's fetch latency; and the
 * end-to-end latency at each source and sink node ({@code record-e2e-latency}: wall clock minus record timestamp). CPU
 * time alone cannot tell a thread that waits for a core from one that waits on the broker or for input.
 */
final class ThreadTimes {
    private static final String[] RATIOS = {"poll-ratio", "process-ratio", "punctuate-ratio", "commit-ratio"};
    /**
     * Model fits and cohort cells are stamped with event time, so their nodes' "end-to-end latency" is the age of an
     * event time (years in a generated history), not a delay: nodes above this are left out.
     */
    private static final double EVENT_TIME_AGE_MS = Duration.ofDays(1).toMillis();

    private ThreadTimes() {
    }

    /** The thread ratios, then one line for the main consumer and one per node, indented for the progress output. */
    static String describe(Map<MetricName, ? extends Metric> metrics) {
        StringBuilder out = new StringBuilder();
        threads(metrics, out);
        fetches(metrics, out);
        endToEnd(metrics, out);
        return out.toString();
    }

    private static void threads(Map<MetricName, ? extends Metric> metrics, StringBuilder out) {
        Map<String, Map<String, Double>> byThread = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics") && metric.metricValue() instanceof Double value) {
                byThread.computeIfAbsent(name.tags().getOrDefault("thread-id", "?"), t -> new TreeMap<>()).put(name.name(), value);
            }
        });
        byThread.forEach((thread, values) -> {
            if (out.length() > 0) {
                out.append("; ");
            }
            for (String ratio : RATIOS) {
                out.append(String.format(Locale.ROOT, "%s %.0f %% ", ratio.replace("-ratio", ""), 100 * values.getOrDefault(ratio, Double.NaN)));
            }
            out.append(String.format(Locale.ROOT, "(commit avg %.0f / max %.0f ms, punctuate avg %.0f / max %.0f ms, poll avg %.0f ms)",
                    values.getOrDefault("commit-latency-avg", Double.NaN), values.getOrDefault("commit-latency-max", Double.NaN),
                    values.getOrDefault("punctuate-latency-avg", Double.NaN), values.getOrDefault("punctuate-latency-max", Double.NaN),
                    values.getOrDefault("poll-latency-avg", Double.NaN)));
        });
    }

    /** The main consumers' (not the restore consumers') fetch figures. */
    private static void fetches(Map<MetricName, ? extends Metric> metrics, StringBuilder out) {
        metrics.forEach((name, metric) -> {
            String client = name.tags().getOrDefault("client-id", "");
            if (name.group().equals("consumer-fetch-manager-metrics") && name.name().equals("fetch-latency-avg")
                    && !name.tags().containsKey("topic") && client.endsWith("-consumer") && !client.endsWith("restore-consumer")) {
                out.append(String.format(Locale.ROOT, "%n      main consumer: fetch latency avg %s ms, max %s ms, %s fetches/s, %s records/fetch",
                        value(metric), value(metrics.get(sibling(name, "fetch-latency-max"))),
                        value(metrics.get(sibling(name, "fetch-rate"))), value(metrics.get(sibling(name, "records-per-request-avg")))));
            }
        });
    }

    /** Per node: the mean of its tasks' averages and the largest maximum. */
    private static void endToEnd(Map<MetricName, ? extends Metric> metrics, StringBuilder out) {
        Map<String, double[]> byNode = new TreeMap<>(); // node -> {sum of task averages, tasks, max}
        metrics.forEach((name, metric) -> {
            if (name.group().equals("stream-processor-node-metrics") && name.name().startsWith("record-e2e-latency-")
                    && metric.metricValue() instanceof Double value && !value.isNaN()) {
                double[] v = byNode.computeIfAbsent(name.tags().getOrDefault("processor-node-id", "?"), n -> new double[3]);
                if (name.name().endsWith("-avg")) {
                    v[0] += value;
                    v[1]++;
                } else if (name.name().endsWith("-max")) {
                    v[2] = Math.max(v[2], value);
                }
            }
        });
        byNode.forEach((node, v) -> {
            if (v[1] > 0 && v[2] <= EVENT_TIME_AGE_MS) {
                out.append(String.format(Locale.ROOT, "%n      e2e at %s: avg %.0f ms, max %.0f ms", node, v[0] / v[1], v[2]));
            }
        });
    }

    private static MetricName sibling(MetricName like, String name) {
        return new MetricName(name, like.group(), "", like.tags()); // equality ignores the description
    }

    private static String value(Metric metric) {
        return metric != null && metric.metricValue() instanceof Double d ? String.format(Locale.ROOT, "%.0f", d) : "?";
    }
}
