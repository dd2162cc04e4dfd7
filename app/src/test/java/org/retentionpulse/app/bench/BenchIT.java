package org.retentionpulse.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.RetentionPulse;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import picocli.CommandLine;

/**
 * A tiny run of {@code retention-pulse bench} on a real broker: the harness works end to end (raw consume, the
 * passthrough and floor yardstick apps, the pipeline with `run`'s wiring, state, restore, latency) and reports every
 * figure. Nothing timed is asserted.
 */
class BenchIT {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void tinyBenchWritesEveryFigureWithSaneValues(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        CommandLine cli = RetentionPulse.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("bench", "--bootstrap-servers", broker.bootstrapServers(), "--events", "2000", "--customers", "200",
                "--partitions", "2", "--latency-seconds", "3", "--latency-warmup-seconds", "1", "--latency-load", "0.1",
                // One daily window and one dimension keep the per-day work (window closes, updates) small: this checks the harness, not the speed.
                "--windows", "P1D/P1D", "--dimensions", "plan", "--state-dir", dir.resolve("state").toString(),
                "--json-out", json.toString());
        assertEquals(0, exit, err.toString());

        JsonNode figures = new ObjectMapper().readTree(Files.readString(json));
        for (String key : List.of("events", "customers", "raw_consume_events_per_s", "pipeline_events_per_s", "ratio",
                "latency_p50_ms", "latency_p99_ms", "state_bytes_per_customer", "restore_seconds", "machine", "settings", "latency")) {
            assertTrue(figures.hasNonNull(key), "missing " + key + " in " + figures);
        }
        assertEquals(2000, figures.get("events").asLong());
        long customers = figures.get("customers").asLong();
        assertTrue(customers > 0 && customers <= 200 * 1.1, "customers with state: " + customers);
        double raw = figures.get("raw_consume_events_per_s").asDouble();
        double pipeline = figures.get("pipeline_events_per_s").asDouble();
        assertTrue(raw > 0 && pipeline > 0, figures.toString());
        assertEquals(pipeline / raw, figures.get("ratio").asDouble(), 0.0002);
        long p50 = figures.get("latency_p50_ms").asLong();
        long p99 = figures.get("latency_p99_ms").asLong();
        assertTrue(0 <= p50 && p50 <= p99 && p99 <= figures.get("latency_max_ms").asLong(), figures.toString());
        assertTrue(figures.at("/latency/outputs/metric_updates/count").asInt() > 0, "metric updates sampled: " + figures.get("latency"));
        assertTrue(figures.at("/latency/warmup_events_produced").asLong() > 0, "the warm-up produced: " + figures.get("latency"));
        assertTrue(figures.at("/latency/generator_ran_out").isBoolean(), figures.get("latency").toString());
        assertTrue(figures.get("state_bytes_per_customer").asDouble() > 0);
        assertTrue(figures.get("state_memory_bytes_per_customer").asDouble() > 0);
        assertTrue(figures.at("/state_disk_bytes_by_store/customer-state").asLong() > 0, figures.get("state_disk_bytes_by_store").toString());
        // The unlogged open-window store has no changelog: counted from the running pipeline, in the live total too.
        long open = figures.at("/state_live_unlogged_bytes_by_store/metric-history-open").asLong();
        assertTrue(open > 0, figures.get("state_live_changelog_bytes_by_store").toString());
        assertEquals(open, figures.at("/state_live_changelog_bytes_by_store/metric-history-open").asLong());
        assertTrue(figures.get("restore_seconds").asDouble() > 0);
        assertTrue(figures.get("restored_records").asLong() > 0);
        assertTrue(figures.at("/machine/cpus").asInt() > 0);
        // One segment partition: its task reads one batch per input event (every segment the event touches in it) and a
        // watermark after each.
        JsonNode segmentTask = figures.at("/segment_tasks/1_0");
        long batches = segmentTask.get("batches_read").asLong();
        assertTrue(batches > 0 && batches <= 2000, figures.get("segment_tasks").toString());
        assertTrue(segmentTask.get("segment_changes_read").asLong() >= batches, figures.get("segment_tasks").toString());
        long watermarks = segmentTask.get("watermarks_read").asLong();
        assertTrue(watermarks >= batches, "a watermark per record (and per tick): " + figures.get("segment_tasks"));
        assertEquals(segmentTask.get("records_read").asLong(), batches + watermarks);

        // The yardstick: both plain Kafka Streams apps ran on the same input, and the ratio is the pipeline's rate over the floor's.
        for (String key : List.of("floor_events_per_s", "passthrough_events_per_s", "ratio_to_floor", "floor_events_per_cpu_s",
                "passthrough_events_per_cpu_s", "ratio_to_floor_per_cpu", "pipeline_cpu_seconds")) {
            assertTrue(figures.hasNonNull(key) && figures.get(key).asDouble() > 0, key + " in " + figures);
        }
        assertEquals(pipeline / figures.get("floor_events_per_s").asDouble(), figures.get("ratio_to_floor").asDouble(), 0.001);
        assertEquals(figures.get("pipeline_events_per_cpu_s").asDouble() / figures.get("floor_events_per_cpu_s").asDouble(),
                figures.get("ratio_to_floor_per_cpu").asDouble(), 0.001);
        assertTrue(figures.at("/yardstick/floor/cpu_seconds").asDouble() > 0, figures.get("yardstick").toString());
        // The pipeline ran as `run` starts it: the output monitor's thread was found and used CPU.
        assertEquals("run", figures.at("/settings/wiring").asText());
        assertTrue(figures.get("pipeline_output_monitor_cpu_seconds").asDouble() > 0, figures.toString());
        assertTrue(figures.get("pipeline_output_monitor_cpu_seconds").asDouble() < figures.get("pipeline_cpu_seconds").asDouble());
    }
}
