package org.retentionpulse.app.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code retention-pulse run} in a separate JVM, so a test can kill it the way a machine dies: SIGKILL,
 * no shutdown hook, no flush, no commit. Its output goes to a log file beside its state directory.
 */
final class PipelineProcess implements AutoCloseable {
    /** The exit status of a process killed by SIGKILL (128 + 9). */
    static final int KILLED_BY_SIGKILL = 137;

    private final String name;
    private final Process process;
    private final Path log;

    private PipelineProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code retention-pulse run --config FILE --state-dir DIR} with this JVM's class path. */
    static PipelineProcess start(String name, Path config, Path stateDir, Map<String, String> environment) {
        return start(name, config, stateDir, environment, List.of());
    }

    /** As {@link #start(String, Path, Path, Map)}, with extra JVM options such as {@code -Dretentionpulse.kafka.log.level=INFO}. */
    static PipelineProcess start(String name, Path config, Path stateDir, Map<String, String> environment, List<String> jvmOptions) {
        Path log = stateDir.resolveSibling(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                "org.retentionpulse.app.RetentionPulse", "run",
                "--config", config.toString(),
                "--state-dir", stateDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("RETENTION_PULSE_"));
        builder.environment().putAll(environment);
        try {
            return new PipelineProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL ({@link Process#destroyForcibly()} on Linux); checks that the exit status says so. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
        assertEquals(KILLED_BY_SIGKILL, process.exitValue(), () -> name + " should have died of SIGKILL; its log:\n" + tail(log()));
    }

    /** The last lines of a log, enough to see why a process ended. */
    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the log shows Kafka Streams reached RUNNING. */
    boolean running() {
        return log().contains("-> RUNNING");
    }

    /** SIGTERM, then SIGKILL if it does not stop in time. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
