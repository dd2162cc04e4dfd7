package org.retentionpulse.app.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a benchmark run does.
 *
 * @param events           events pre-loaded into the input topics (the throughput measurements read all of them)
 * @param customers        customers the generator simulates
 * @param partitions       partitions of every input topic (and so customer-stage tasks)
 * @param latencyLoad      offered load of the latency phase, as a fraction of the measured pipeline rate
 * @param latencyRate      offered load of the latency phase in events per second, or 0 for {@code latencyLoad}'s: a
 *                         fixed rate lets runs whose backfills differ (a shared machine) be compared at one load
 * @param latencySeconds   how long the paced latency phase produces (and samples)
 * @param latencyWarmupSeconds how long the latency phase produces at its rate before it samples (why: {@code Benchmark#warmUp})
 * @param bootstrapServers an existing cluster, or null for an embedded broker
 * @param stateDir         parent of the run's state directory, or null for a temporary one
 * @param skipRestore      skip the restore-from-changelog measurement (the latency phase then restarts on the kept state)
 * @param skipLatency      skip the latency phase
 * @param skipFloor        skip the yardstick apps (passthrough and floor): no {@code ratio_to_floor}
 * @param wiring           how the pipeline is started for the throughput and latency phases
 * @param seed             generator seed
 * @param timeout          longest any phase may take before the run fails
 */
public record BenchOptions(long events, int customers, int partitions, double latencyLoad, double latencyRate, int latencySeconds, int latencyWarmupSeconds,
                           String bootstrapServers, Path stateDir, boolean skipRestore, boolean skipLatency, boolean skipFloor,
                           Wiring wiring, long seed, Duration timeout) {
    /** How the bench starts the pipeline. */
    public enum Wiring {
        /** As {@code run} starts it: HTTP server, Prometheus registry and meters, output monitor (what a user deploys). */
        RUN("run's wiring: HTTP, meters, output monitor"),
        /** The topology alone, to measure what the rest of {@link #RUN} costs. */
        BARE("the topology alone: no HTTP, meters or output monitor");

        private final String description;

        Wiring(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public BenchOptions {
        if (events < 1 || customers < 1 || partitions < 1) {
            throw new IllegalArgumentException("events, customers and partitions must be positive");
        }
        if (!(latencyLoad > 0 && latencyLoad <= 1)) {
            throw new IllegalArgumentException("latency load must be a fraction in (0, 1], was " + latencyLoad);
        }
        if (!(latencyRate >= 0)) {
            throw new IllegalArgumentException("latency rate must be 0 (from the load) or a positive number of events per second, was " + latencyRate);
        }
        if (latencySeconds < 1) {
            throw new IllegalArgumentException("latency seconds must be positive");
        }
        if (latencyWarmupSeconds < 0) {
            throw new IllegalArgumentException("latency warm-up seconds must not be negative");
        }
        if (wiring == null) {
            throw new IllegalArgumentException("wiring must be given");
        }
    }

    /** The latency phase's offered events per second, given the pipeline's measured rate. */
    public double offeredRate(double pipelineRate) {
        return latencyRate > 0 ? latencyRate : latencyLoad * pipelineRate;
    }
}
