package org.retentionpulse.app.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retentionpulse.topology.metrics.SegmentStageMetrics;

/**
 * The figures of one benchmark run. Rates are events per second; durations seconds; latencies milliseconds
 * (-1 when there was no sample); figures of a skipped phase are null. {@code pipeline} CPU includes the output
 * monitor's thread when the pipeline ran with `run`'s wiring ({@code outputMonitorCpuSeconds} of it).
 */
public record BenchResult(
        long events,
        long customers,
        int customersSimulated,
        int partitions,
        List<Double> rawConsumeRuns,
        double rawConsumeEventsPerSecond,
        double rawConsumeEventsPerCpuSecond,
        ColdRun.Result pipeline,
        double outputMonitorCpuSeconds,
        Yardstick.Result yardstick,
        Latency latency,
        Map<String, Long> stateDiskBytesByStore,
        Map<String, Long> stateLiveBytesByStore,
        Double restoreSeconds,
        Long restoredRecords,
        Map<String, Object> machine,
        Map<String, Object> settings,
        Map<String, SegmentStageMetrics.TaskReads> segmentTasks,
        long repartitionBytesRead,
        double pipelineStreamThreadsCpuSeconds) {

    /** The latency phase: offered load and the latency of each output (and of all outputs together). */
    public record Latency(double offeredEventsPerSecond, double load, Warmup warmup, long eventsProduced, double seconds,
                          Map<String, Summary> byOutput, Summary all, long outputsWithoutHeader,
                          long restartOutputs, long outputsFromBeforePhase, boolean generatorRanOut, Summary toRepartition,
                          double streamThreadCpuSeconds) {
    }

    /** What the latency phase produced at its rate before it sampled. */
    public record Warmup(long eventsProduced, double seconds) {
    }

    /** Percentiles of one output's latencies. */
    public record Summary(int count, long p50, long p99, long max) {
        static Summary of(LatencyStats stats) {
            return new Summary(stats.count(), stats.percentile(50), stats.percentile(99), stats.max());
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", count);
            m.put("p50_ms", p50);
            m.put("p99_ms", p99);
            m.put("max_ms", max);
            return m;
        }
    }

    public double pipelineEventsPerSecond() {
        return pipeline.eventsPerSecond();
    }

    public double pipelineEventsPerCpuSecond() {
        return pipeline.eventsPerCpuSecond();
    }

    public double ratio() {
        return pipelineEventsPerSecond() / rawConsumeEventsPerSecond;
    }

    /** Pipeline events/s over the floor app's events/s (null without the yardstick). */
    public Double ratioToFloor() {
        return yardstick == null ? null : pipelineEventsPerSecond() / yardstick.floor().eventsPerSecond();
    }

    /** The same per CPU second. */
    public Double ratioToFloorPerCpu() {
        return yardstick == null ? null : pipelineEventsPerCpuSecond() / yardstick.floor().eventsPerCpuSecond();
    }

    public long stateDiskBytes() {
        return StateFootprint.total(stateDiskBytesByStore);
    }

    public long stateLiveBytes() {
        return StateFootprint.total(stateLiveBytesByStore);
    }

    public double stateBytesPerCustomer() {
        return stateDiskBytes() / (double) Math.max(1, customers);
    }

    public double stateLiveBytesPerCustomer() {
        return stateLiveBytes() / (double) Math.max(1, customers);
    }

    /** One JSON object: the keys of issue 8 first, then the detail. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", events);
        m.put("customers", customers);
        m.put("raw_consume_events_per_s", round(rawConsumeEventsPerSecond));
        m.put("pipeline_events_per_s", round(pipelineEventsPerSecond()));
        m.put("ratio", Math.round(ratio() * 10_000) / 10_000.0);
        m.put("floor_events_per_s", yardstick == null ? null : round(yardstick.floor().eventsPerSecond()));
        m.put("passthrough_events_per_s", yardstick == null ? null : round(yardstick.passthrough().eventsPerSecond()));
        m.put("ratio_to_floor", yardstick == null ? null : round4(ratioToFloor()));
        m.put("latency_p50_ms", latency == null ? null : latency.all().p50());
        m.put("latency_p99_ms", latency == null ? null : latency.all().p99());
        m.put("latency_max_ms", latency == null ? null : latency.all().max());
        m.put("state_bytes_per_customer", round(stateBytesPerCustomer()));
        m.put("state_memory_bytes_per_customer", round(stateLiveBytesPerCustomer()));
        m.put("restore_seconds", restoreSeconds == null ? null : Math.round(restoreSeconds * 1000) / 1000.0);
        m.put("raw_consume_events_per_cpu_s", round(rawConsumeEventsPerCpuSecond));
        m.put("pipeline_events_per_cpu_s", round(pipelineEventsPerCpuSecond()));
        m.put("ratio_per_cpu", round4(pipelineEventsPerCpuSecond() / rawConsumeEventsPerCpuSecond));
        m.put("floor_events_per_cpu_s", yardstick == null ? null : round(yardstick.floor().eventsPerCpuSecond()));
        m.put("passthrough_events_per_cpu_s", yardstick == null ? null : round(yardstick.passthrough().eventsPerCpuSecond()));
        m.put("ratio_to_floor_per_cpu", yardstick == null ? null : round4(ratioToFloorPerCpu()));
        m.put("customers_simulated", customersSimulated);
        m.put("partitions", partitions);
        m.put("raw_consume_runs_events_per_s", rawConsumeRuns.stream().map(BenchResult::round).toList());
        m.put("pipeline_events_per_s_with_startup", round(pipeline.eventsPerSecondWithStartup()));
        m.put("pipeline_startup_seconds", round3(pipeline.startupSeconds()));
        m.put("pipeline_processing_seconds", round3(pipeline.processingSeconds()));
        m.put("pipeline_cpu_seconds", round3(pipeline.cpuSeconds()));
        m.put("pipeline_output_monitor_cpu_seconds", round3(outputMonitorCpuSeconds));
        Map<String, Object> tasks = new LinkedHashMap<>();
        segmentTasks.forEach((task, reads) -> tasks.put(task, Map.of("records_read", reads.records(),
                "batches_read", reads.batches(), "segment_changes_read", reads.segmentChanges(), "watermarks_read", reads.watermarks())));
        m.put("segment_tasks", tasks);
        m.put("repartition_bytes_read", repartitionBytesRead);
        m.put("repartition_bytes_per_event", round3((double) repartitionBytesRead / events));
        // The Kafka Streams threads alone (pipeline_cpu_seconds adds their producers' network threads and the monitor),
        // per event: compare with latency.stream_threads_cpu_us_per_event.
        m.put("pipeline_stream_threads_cpu_us_per_event", round(1e6 * pipelineStreamThreadsCpuSeconds / events));
        if (yardstick != null) {
            Map<String, Object> y = new LinkedHashMap<>();
            y.put("passthrough", coldRunJson(yardstick.passthrough()));
            y.put("floor", coldRunJson(yardstick.floor()));
            m.put("yardstick", y);
        }
        if (latency != null) {
            m.put("latency", latencyJson());
        }
        m.put("state_disk_bytes", stateDiskBytes());
        m.put("state_disk_bytes_by_store", stateDiskBytesByStore);
        m.put("state_live_changelog_bytes", stateLiveBytes());
        m.put("state_live_changelog_bytes_by_store", stateLiveBytesByStore);
        // The stores without a changelog in the map above, read through interactive queries instead.
        Map<String, Long> unlogged = new java.util.TreeMap<>(stateLiveBytesByStore);
        unlogged.keySet().retainAll(org.retentionpulse.topology.RetentionPulseTopology.UNLOGGED_STORES);
        m.put("state_live_unlogged_bytes_by_store", unlogged);
        m.put("restored_records", restoredRecords);
        m.put("machine", machine);
        m.put("settings", settings);
        return m;
    }

    private Map<String, Object> latencyJson() {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("offered_events_per_s", round(latency.offeredEventsPerSecond()));
        l.put("load_fraction_of_max", latency.load());
        l.put("warmup_events_produced", latency.warmup().eventsProduced());
        l.put("warmup_seconds", round3(latency.warmup().seconds()));
        l.put("events_produced", latency.eventsProduced());
        l.put("seconds", round3(latency.seconds()));
        Map<String, Object> outputs = new LinkedHashMap<>();
        latency.byOutput().forEach((k, v) -> outputs.put(k, v.json()));
        l.put("outputs", outputs);
        l.put("all_outputs", latency.all().json());
        l.put("outputs_without_source_header", latency.outputsWithoutHeader());
        l.put("restart_outputs_before_phase", latency.restartOutputs());
        l.put("outputs_from_before_phase", latency.outputsFromBeforePhase());
        l.put("generator_ran_out", latency.generatorRanOut());
        // The customer stage's share of an update's latency: a segment-deltas batch read (read_committed) minus the
        // append time of the oldest input it sums.
        l.put("input_to_repartition", latency.toRepartition().json());
        // The Kafka Streams threads' CPU while the phase produced, per event: against pipeline_cpu_seconds / events, what
        // a live event costs compared with one of the backfill.
        l.put("stream_threads_cpu_seconds", round3(latency.streamThreadCpuSeconds()));
        l.put("stream_threads_cpu_us_per_event", latency.eventsProduced() == 0 ? null
                : round(1e6 * latency.streamThreadCpuSeconds() / latency.eventsProduced()));
        return l;
    }

    private static Map<String, Object> coldRunJson(ColdRun.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events_per_s", round(r.eventsPerSecond()));
        m.put("events_per_cpu_s", round(r.eventsPerCpuSecond()));
        m.put("events_per_s_with_startup", round(r.eventsPerSecondWithStartup()));
        m.put("startup_seconds", round3(r.startupSeconds()));
        m.put("processing_seconds", round3(r.processingSeconds()));
        m.put("cpu_seconds", round3(r.cpuSeconds()));
        return m;
    }

    /** One line with the figures a reader compares first (the last line of the bench's output). */
    public String summaryLine() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "SUMMARY %,d events / %,d customers: pipeline %,.0f events/s (%,.0f per CPU-s)",
                events, customers, pipelineEventsPerSecond(), pipelineEventsPerCpuSecond()));
        if (yardstick != null) {
            b.append(String.format(Locale.ROOT, ", floor %,.0f (%,.0f), ratio_to_floor %.3f (%.3f per CPU-s), passthrough %,.0f",
                    yardstick.floor().eventsPerSecond(), yardstick.floor().eventsPerCpuSecond(), ratioToFloor(), ratioToFloorPerCpu(),
                    yardstick.passthrough().eventsPerSecond()));
        }
        if (latency != null) {
            b.append(String.format(Locale.ROOT, "; p99 updates %s ms, alerts %s ms", p99(latency.byOutput().get("metric_updates")),
                    p99(latency.byOutput().get("alerts"))));
        }
        b.append(String.format(Locale.ROOT, "; state %,.0f B/customer on disk, %,.0f live", stateBytesPerCustomer(), stateLiveBytesPerCustomer()));
        b.append(restoreSeconds == null ? "; restore skipped" : String.format(Locale.ROOT, "; restore %.1f s", restoreSeconds));
        return b.toString();
    }

    private static String p99(Summary s) {
        return s == null || s.count() == 0 ? "-" : String.format(Locale.ROOT, "%,d", s.p99());
    }

    /** The figures as a plain-text table. */
    public String table() {
        StringBuilder t = new StringBuilder();
        row(t, "events pre-loaded", String.format(Locale.ROOT, "%,d (%,d customers with state, %,d simulated, %d partitions)",
                events, customers, customersSimulated, partitions));
        row(t, "raw consume (ceiling)", String.format(Locale.ROOT, "%,.0f events/s (runs: %s)", rawConsumeEventsPerSecond,
                rawConsumeRuns.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList()));
        if (yardstick != null) {
            row(t, "passthrough (EOS)", coldRun(yardstick.passthrough()));
            row(t, "floor (EOS, stateful)", coldRun(yardstick.floor()));
        }
        row(t, "pipeline, cold start", coldRun(pipeline));
        row(t, "  of which monitor CPU", String.format(Locale.ROOT, "%.1f s (output monitor thread; 0 without run's wiring)", outputMonitorCpuSeconds));
        row(t, "pipeline / raw", String.format(Locale.ROOT, "%.2f %%", 100 * ratio()));
        if (yardstick != null) {
            row(t, "pipeline / floor", String.format(Locale.ROOT, "%.3f (per CPU second %.3f)", ratioToFloor(), ratioToFloorPerCpu()));
        }
        row(t, "per CPU second", String.format(Locale.ROOT, "raw %,.0f events, pipeline %,.0f events (%.2f %%)", rawConsumeEventsPerCpuSecond,
                pipelineEventsPerCpuSecond(), 100 * pipelineEventsPerCpuSecond() / rawConsumeEventsPerCpuSecond));
        if (latency != null) {
            row(t, "latency load", String.format(Locale.ROOT, "%,.0f events/s offered (%.0f %% of the pipeline rate) for %.0f s, %,d events"
                            + " (after a %.0f s warm-up of %,d events, not sampled)",
                    latency.offeredEventsPerSecond(), 100 * latency.load(), latency.seconds(), latency.eventsProduced(),
                    latency.warmup().seconds(), latency.warmup().eventsProduced()));
            latency.byOutput().forEach((name, s) -> row(t, "latency " + name, summary(s)));
            row(t, "latency all outputs", summary(latency.all()));
            row(t, "latency to repartition", summary(latency.toRepartition()) + " (input to segment-deltas batch: the customer stage)");
        }
        row(t, "state on disk", String.format(Locale.ROOT, "%,.0f bytes/customer (%,d bytes: %s)", stateBytesPerCustomer(), stateDiskBytes(),
                stateDiskBytesByStore));
        row(t, "state live (changelog)", String.format(Locale.ROOT, "%,.0f bytes/customer (%,d bytes: %s)", stateLiveBytesPerCustomer(),
                stateLiveBytes(), stateLiveBytesByStore));
        row(t, "restore, state wiped", restoreSeconds == null ? "skipped"
                : String.format(Locale.ROOT, "%.1f s (%,d changelog records)", restoreSeconds, restoredRecords));
        row(t, "machine", String.valueOf(machine));
        return t.toString();
    }

    private static String coldRun(ColdRun.Result r) {
        return String.format(Locale.ROOT, "%,.0f events/s, %,.0f per CPU second (%.1f s after %.1f s startup, %.1f CPU s; %,.0f events/s with startup)",
                r.eventsPerSecond(), r.eventsPerCpuSecond(), r.processingSeconds(), r.startupSeconds(), r.cpuSeconds(), r.eventsPerSecondWithStartup());
    }

    private static String summary(Summary s) {
        return s.count() == 0 ? "no samples" : String.format(Locale.ROOT, "p50 %,d ms, p99 %,d ms, max %,d ms (%,d outputs)",
                s.p50(), s.p99(), s.max(), s.count());
    }

    private static void row(StringBuilder t, String name, String value) {
        t.append(String.format(Locale.ROOT, "  %-24s %s%n", name, value));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
