package org.retentionpulse.app.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.retentionpulse.app.console.ConsumptionProgress;
import org.retentionpulse.app.console.ProgressReporter;
import org.retentionpulse.app.pipeline.ApplicationLag;

/**
 * Times one Kafka Streams application from a cold start (new application id, empty state) until its committed
 * offsets reach the end of the input topics and of its internal (repartition) topics: the same clock for the
 * pipeline and for the bench's own yardstick apps, so their rates compare. The CPU is that of the threads whose
 * name contains one of the given markers (the application id names every Kafka Streams thread and its
 * producer's I/O thread), between the first {@code RUNNING} and the end.
 */
final class ColdRun {

    /** Starts the application under test and returns its client (already started). */
    @FunctionalInterface
    interface Starter {
        KafkaStreams start() throws Exception;
    }

    /**
     * What one cold run took.
     *
     * @param events            input events processed
     * @param startupSeconds    {@code start()} until the first {@code RUNNING}
     * @param processingSeconds first {@code RUNNING} until the committed offsets reach the ends
     * @param cpuSeconds        CPU of the application's threads over the processing interval
     */
    record Result(long events, double startupSeconds, double processingSeconds, double cpuSeconds) {
        double eventsPerSecond() {
            return events / Math.max(1e-9, processingSeconds);
        }

        double eventsPerSecondWithStartup() {
            return events / Math.max(1e-9, processingSeconds + startupSeconds);
        }

        double eventsPerCpuSecond() {
            return events / Math.max(1e-9, cpuSeconds);
        }
    }

    private final Admin admin;
    private final List<String> inputs;
    private final long events;
    private final Duration timeout;
    private final PrintStream progress;

    ColdRun(Admin admin, List<String> inputs, long events, Duration timeout, PrintStream progress) {
        this.admin = admin;
        this.inputs = inputs;
        this.events = events;
        this.timeout = timeout;
        this.progress = progress;
    }

    /**
     * Starts the application, waits for {@code RUNNING}, then for its committed offsets to reach the end of the
     * inputs and of {@code internalTopics}; the caller closes it.
     */
    Result measure(String phase, Starter starter, String applicationId, List<String> internalTopics, List<String> cpuMarkers)
            throws Exception {
        long started = System.nanoTime();
        KafkaStreams streams = starter.start();
        long running = awaitRunning(streams, started, timeout);
        long cpuAtRunning = cpuNanos(cpuMarkers);
        awaitCommitted(applicationId, internalTopics, phase, events);
        long done = System.nanoTime();
        double cpuSeconds = (cpuNanos(cpuMarkers) - cpuAtRunning) / 1e9;
        Result r = new Result(events, (running - started) / 1e9, (done - running) / 1e9, cpuSeconds);
        progress.printf(Locale.ROOT, "  %s: %,d events in %.1f s after %.1f s startup: %,.0f events/s, %,.0f per CPU second (%.1f CPU s)%n",
                phase, events, r.processingSeconds(), r.startupSeconds(), r.eventsPerSecond(), r.eventsPerCpuSecond(), cpuSeconds);
        return r;
    }

    static long cpuNanos(List<String> markers) {
        return markers.stream().mapToLong(ThreadCpu::nanos).sum();
    }

    /** Waits for {@code RUNNING}; fails when the client stops or {@code timeout} passes. Returns when it was seen. */
    static long awaitRunning(KafkaStreams streams, long since, Duration timeout) throws InterruptedException {
        long deadline = since + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the application stopped: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the application was not RUNNING within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return System.nanoTime();
    }

    /**
     * Waits until the committed offsets of {@code applicationId} reach the end of the inputs and of {@code internalTopics},
     * printing progress against {@code total} input events (0: only what is left).
     */
    void awaitCommitted(String applicationId, List<String> internalTopics, String phase, long total) throws Exception {
        List<String> topics = new ArrayList<>(inputs);
        topics.addAll(internalTopics);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        ConsumptionProgress lines = new ConsumptionProgress(phase, total, !internalTopics.isEmpty());
        ApplicationLag lag = new ApplicationLag(admin, applicationId);
        try (ProgressReporter reporter = ProgressReporter.to(progress)) {
            while (true) {
                Map<String, Long> behind = lag.behindByTopic(topics);
                long inputBehind = inputs.stream().mapToLong(behind::get).sum();
                long internalBehind = internalTopics.stream().mapToLong(behind::get).sum();
                if (inputBehind == 0 && internalBehind == 0) {
                    return;
                }
                reporter.report(lines.fraction(inputBehind), lines.line(inputBehind, internalBehind));
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(phase + " did not finish within " + timeout + " (raise --timeout)");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }
}
