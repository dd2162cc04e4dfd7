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
import org.retentionpulse.app.pipeline.ApplicationLag;

/**
 * Times one Kafka Streams application from a cold start (new application id, empty state) until its committed
 * offsets reach the end of the input topics and of its internal (repartition) topics: the same clock for the
 * pipeline and for the bench's own yardstick apps, so their rates compare. The CPU is that of the threads whose
 * name contains one of the given markers (the application id names every Kafka Streams thread and its
 * producer's I/O thread), between the first {@code RUNNING} and the end.
 */
final class ColdRun {
    /** How often progress is printed: often on a terminal, every few seconds into a log. */
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(System.console() != null ? 2 : 5);

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
        long lastReport = start;
        Progress lines = new Progress(phase, total, !internalTopics.isEmpty());
        ApplicationLag lag = new ApplicationLag(admin, applicationId);
        while (true) {
            Map<String, Long> behind = lag.behindByTopic(topics);
            long inputBehind = inputs.stream().mapToLong(behind::get).sum();
            long internalBehind = internalTopics.stream().mapToLong(behind::get).sum();
            if (inputBehind == 0 && internalBehind == 0) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastReport > REPORT_NANOS) {
                lastReport = now;
                progress.println(lines.line(inputBehind, internalBehind, now));
            }
            if (now > deadline) {
                throw new IllegalStateException(phase + " did not finish within " + timeout + " (raise --timeout)");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /**
     * The progress lines of one wait, e.g. {@code pipeline: 412,000 / 1,000,000 input events (41 %), 13,870/s, ~42 s left;
     * 1,024 repartition records behind}; once every input is read, the repartition backlog's own rate and time left
     * (the segment stage can trail the customer stage by most of the run).
     */
    private static final class Progress {
        private final String phase;
        private final long total;
        private final boolean internal;
        private final long start = System.nanoTime();
        private long inputsReadAt = -1;
        private long internalBehindThen;

        Progress(String phase, long total, boolean internal) {
            this.phase = phase;
            this.total = total;
            this.internal = internal;
        }

        String line(long inputBehind, long internalBehind, long now) {
            String line;
            if (total > 0 && inputBehind == 0) {
                if (inputsReadAt < 0) {
                    inputsReadAt = now;
                    internalBehindThen = internalBehind;
                }
                line = String.format(Locale.ROOT, "  %s: all %,d input events read by %.0f s", phase, total, (inputsReadAt - start) / 1e9);
                if (internal) {
                    double rate = (internalBehindThen - internalBehind) / Math.max(1e-9, (now - inputsReadAt) / 1e9);
                    return line + String.format(Locale.ROOT, "; %,d repartition records behind, %,.0f/s, %s", internalBehind, rate, left(internalBehind, rate));
                }
                return line;
            } else if (total > 0) {
                // Transaction markers take offsets too, so "behind" can exceed the events left by a little: clamp.
                long done = Math.max(0, Math.min(total, total - inputBehind));
                double rate = done / Math.max(1e-9, (now - start) / 1e9);
                line = String.format(Locale.ROOT, "  %s: %,d / %,d input events (%.0f %%), %,.0f/s, %s", phase, done, total,
                        100.0 * done / total, rate, left(total - done, rate));
            } else {
                line = String.format(Locale.ROOT, "  %s: %,d input records behind", phase, inputBehind);
            }
            return internal ? line + String.format(Locale.ROOT, "; %,d repartition records behind", internalBehind) : line;
        }

        private static String left(long remaining, double rate) {
            return rate > 0 ? String.format(Locale.ROOT, "~%.0f s left", remaining / rate) : "time left unknown";
        }
    }
}
