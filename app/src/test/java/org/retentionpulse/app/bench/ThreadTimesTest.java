package org.retentionpulse.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

class ThreadTimesTest {
    private final Metrics metrics = new Metrics();

    private void gauge(String name, String group, Map<String, String> tags, double value) {
        metrics.addMetric(metrics.metricName(name, group, tags), (Measurable) (config, now) -> value);
    }

    private void gauges(String group, Map<String, String> tags, Map<String, Double> values) {
        values.forEach((name, value) -> gauge(name, group, tags, value));
    }

    @Test
    void aThreadsTimeIsSplitIntoItsLoopPhases() {
        gauges("stream-thread-metrics", Map.of("thread-id", "app-StreamThread-1"), Map.of("poll-ratio", 0.25, "process-ratio", 0.6,
                "punctuate-ratio", 0.1, "commit-ratio", 0.05, "commit-latency-avg", 3.0, "commit-latency-max", 40.0));

        String line = ThreadTimes.describe(metrics.metrics());

        assertTrue(line.startsWith("poll 25 % process 60 % punctuate 10 % commit 5 % (commit avg 3 / max 40 ms"), line);
    }

    @Test
    void endToEndLatencyIsTheMeanOfTheTasksAndTheirLargestMaximum() {
        gauge("record-e2e-latency-avg", "stream-processor-node-metrics", Map.of("task-id", "0_0", "processor-node-id", "alerts-sink"), 100);
        gauge("record-e2e-latency-avg", "stream-processor-node-metrics", Map.of("task-id", "0_1", "processor-node-id", "alerts-sink"), 300);
        gauge("record-e2e-latency-max", "stream-processor-node-metrics", Map.of("task-id", "0_0", "processor-node-id", "alerts-sink"), 900);
        gauge("record-e2e-latency-max", "stream-processor-node-metrics", Map.of("task-id", "0_1", "processor-node-id", "alerts-sink"), 500);

        assertEquals("\n      e2e at alerts-sink: avg 200 ms, max 900 ms", ThreadTimes.describe(metrics.metrics()));
    }

    @Test
    void aNodeStampedWithEventTimeIsLeftOut() {
        Map<String, String> node = Map.of("task-id", "0_0", "processor-node-id", "model-sink");
        gauge("record-e2e-latency-avg", "stream-processor-node-metrics", node, 7.6e10);
        gauge("record-e2e-latency-max", "stream-processor-node-metrics", node, 7.7e10);

        assertFalse(ThreadTimes.describe(metrics.metrics()).contains("model-sink"));
    }

    @Test
    void theMainConsumersFetchesAreShownNotTheRestoreConsumers() {
        gauges("consumer-fetch-manager-metrics", Map.of("client-id", "app-StreamThread-1-consumer"), Map.of("fetch-latency-avg", 25.0,
                "fetch-latency-max", 505.0, "fetch-rate", 8.0, "records-per-request-avg", 203.0));
        gauge("fetch-latency-avg", "consumer-fetch-manager-metrics", Map.of("client-id", "app-StreamThread-1-restore-consumer"), 1);

        assertEquals("\n      main consumer: fetch latency avg 25 ms, max 505 ms, 8 fetches/s, 203 records/fetch",
                ThreadTimes.describe(metrics.metrics()));
    }
}
