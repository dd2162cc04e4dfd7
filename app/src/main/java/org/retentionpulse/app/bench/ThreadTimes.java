package org.retentionpulse.app.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Where the stream threads' wall-clock time goes, from Kafka Streams' own thread metrics ({@code stream-thread-metrics}:
 * the share of each loop iteration spent polling, processing, punctuating and committing, averaged over the metrics
 * window, and the mean and longest commit and punctuation). CPU time alone cannot tell a thread that waits on the
 * broker in {@code commit} from one that waits for input in {@code poll}; both look idle.
 */
final class ThreadTimes {
    private static final String GROUP = "stream-thread-metrics";
    private static final String[] RATIOS = {"poll-ratio", "process-ratio", "punctuate-ratio", "commit-ratio"};

    private ThreadTimes() {
    }

    /** One line per stream thread, e.g. {@code poll 41 % process 30 % punctuate 9 % commit 20 % (commit avg 12 / max 80 ms, ...)}. */
    static String describe(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Map<String, Double>> byThread = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (GROUP.equals(name.group()) && metric.metricValue() instanceof Double value) {
                byThread.computeIfAbsent(name.tags().getOrDefault("thread-id", "?"), t -> new TreeMap<>()).put(name.name(), value);
            }
        });
        StringBuilder out = new StringBuilder();
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
        Map<String, double[]> e2e = new TreeMap<>(); // node -> {sum of task averages, tasks, max}
        metrics.forEach((name, metric) -> {
            if (name.group().equals("stream-processor-node-metrics") && name.name().startsWith("record-e2e-latency-")
                    && metric.metricValue() instanceof Double value && !value.isNaN()) {
                double[] v = e2e.computeIfAbsent(name.tags().getOrDefault("processor-node-id", "?"), n -> new double[3]);
                if (name.name().endsWith("-avg")) {
                    v[0] += value;
                    v[1]++;
                } else if (name.name().endsWith("-max")) {
                    v[2] = Math.max(v[2], value);
                }
            }
        });
        metrics.forEach((name, metric) -> {
            String client = name.tags().getOrDefault("client-id", "");
            if (name.group().equals("consumer-fetch-manager-metrics") && !name.tags().containsKey("topic")
                    && client.endsWith("-consumer") && !client.endsWith("restore-consumer") && name.name().equals("fetch-latency-avg")) {
                out.append(String.format(Locale.ROOT, "%n      main consumer: fetch latency avg %.0f ms, max %s ms, %s fetches/s, %s records/fetch",
                        (Double) metric.metricValue(), value(metrics, name, "fetch-latency-max"), value(metrics, name, "fetch-rate"),
                        value(metrics, name, "records-per-request-avg")));
            }
        });
        e2e.forEach((node, v) -> out.append(String.format(Locale.ROOT, "%n      e2e at %s: avg %.0f ms, max %.0f ms", node, v[0] / v[1], v[2])));
        return out.toString();
    }

    private static String value(Map<MetricName, ? extends Metric> metrics, MetricName like, String name) {
        Metric metric = metrics.get(new MetricName(name, like.group(), "", like.tags()));
        return metric != null && metric.metricValue() instanceof Double d ? String.format(Locale.ROOT, "%.0f", d) : "?";
    }
}
