package org.retentionpulse.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.retentionpulse.app.bench.BenchOptions;
import org.retentionpulse.app.bench.BenchResult;
import org.retentionpulse.app.bench.Benchmark;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code retention-pulse bench}: throughput against the raw consume ceiling and against the Kafka Streams yardstick
 * (an exactly-once passthrough and a minimal stateful app of the pipeline's shape), latency, state size and restore time.
 */
@Command(name = "bench",
        description = {"Benchmarks the pipeline on fresh topics (an embedded broker unless --bootstrap-servers is given): "
                + "pre-loads generated events, measures a plain consumer's rate (the ceiling), an exactly-once Kafka Streams "
                + "passthrough and a minimal stateful exactly-once app of the pipeline's shape (the floor), and the pipeline's "
                + "rate from a cold start with exactly-once and `run`'s wiring, the state size per customer, the restore time after the state directory is "
                + "wiped, and the end-to-end latency of metric updates and alerts under a steady load.",
                "Long-running: with the defaults expect many minutes on a small machine. Progress goes to stdout."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "5000000", paramLabel = "N", description = "Events to pre-load.")
    long events;

    @Option(names = "--customers", defaultValue = "500000", paramLabel = "N", description = "Customers to simulate.")
    int customers;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the input topics (default: topics.partitions, 3).")
    Integer partitions;

    @Option(names = "--latency-load", defaultValue = "0.5", paramLabel = "FRACTION",
            description = "Offered load of the latency phase, as a fraction of the measured pipeline rate.")
    double latencyLoad;

    @Option(names = "--latency-rate", defaultValue = "0", paramLabel = "EVENTS_PER_S",
            description = "Offered load of the latency phase in events per second, instead of --latency-load "
                    + "(to compare runs at one load on a shared machine).")
    double latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "60", paramLabel = "SECONDS", description = "Length of the latency phase.")
    int latencySeconds;

    /** 20 s: after the restart the first 15 s ran slow (BENCHMARKS.md, session 12), the rest of the phase did not. */
    @Option(names = "--latency-warmup-seconds", defaultValue = "20", paramLabel = "SECONDS",
            description = "How long the latency phase produces at its rate before it samples (reported; 0: none).")
    int latencyWarmupSeconds;

    @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the figures as one JSON object to FILE.")
    Path jsonOut;

    @Option(names = "--skip-restore", description = "Do not wipe the state directory before the restart (no restore measurement).")
    boolean skipRestore;

    @Option(names = "--skip-latency", description = "Do not run the latency phase.")
    boolean skipLatency;

    @Option(names = "--skip-floor", description = "Do not run the yardstick apps (exactly-once passthrough and floor): no ratio_to_floor.")
    boolean skipFloor;

    @Option(names = "--wiring", defaultValue = "RUN", paramLabel = "RUN|BARE",
            description = "How the pipeline is started: RUN (default) as `run` starts it, with the HTTP server, meters and output monitor; "
                    + "BARE the topology alone, to measure what the rest costs.")
    BenchOptions.Wiring wiring;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed.")
    long seed;

    @Option(names = "--timeout", defaultValue = "PT2H", paramLabel = "DURATION", description = "Longest any phase may take.")
    Duration timeout;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() throws Exception {
        if (pipeline.httpPort == null) {
            pipeline.httpPort = "0"; // any free port: a bench must not collide with a running instance
        }
        Settings settings = pipeline.load();
        int parts = partitions != null ? partitions : settings.getInt(AppDefaults.TOPICS_PARTITIONS);
        BenchOptions options = new BenchOptions(events, customers, parts, latencyLoad, latencyRate, latencySeconds, latencyWarmupSeconds, pipeline.bootstrapServers,
                pipeline.stateDir == null ? null : Path.of(pipeline.stateDir), skipRestore, skipLatency, skipFloor, wiring, seed, timeout);
        BenchResult result = new Benchmark(options, settings, System.out).run();
        System.out.println();
        System.out.print(result.table());
        if (jsonOut != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonOut.toFile(), result.json());
            System.out.println("Figures written to " + jsonOut);
        }
        System.out.println(result.summaryLine());
        return 0;
    }
}
