package org.retentionpulse.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.retentionpulse.app.KafkaVersion;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code retention-pulse broker}: a local single-node Kafka broker for development, running until the process
 * is interrupted (Ctrl-C) or terminated.
 */
@Command(
    name = "broker",
    description = {
        "Runs a local Apache Kafka broker for development until Ctrl-C.",
        "One KRaft node (broker and controller) in this process, plaintext, listening on localhost only; "
            + "clients connect to localhost:PORT. Topics are not created automatically."
    }
)
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
        description = "Port clients connect to; 0 picks a free port.")
    private int port;

    @Option(names = "--log-dir", paramLabel = "DIR",
        description = "Keeps topics and records in DIR across restarts. "
            + "Default: a temporary directory, deleted on exit.")
    private Path logDir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
        description = "Partitions of topics created without an explicit count.")
    private int partitions;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, got " + port);
        }
        if (partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, got " + partitions);
        }
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder()
            .port(port)
            .defaultPartitions(partitions)
            .closeOnJvmShutdown(true);
        if (logDir != null) {
            builder.logDir(logDir);
        }
        EmbeddedKafkaBroker broker = builder.start();

        PrintWriter out = spec.commandLine().getOut();
        out.printf("Kafka %s broker ready at %s%n", KafkaVersion.get(), broker.bootstrapServers());
        out.printf("Log dir: %s%s%n", broker.logDir(), logDir == null ? " (deleted on exit)" : "");
        out.println("Press Ctrl-C to stop.");
        out.flush();

        // The JVM shutdown hook closes the broker on Ctrl-C or SIGTERM; until then this thread just waits.
        new CountDownLatch(1).await();
        return 0;
    }
}
