package org.retentionpulse.app;

import java.io.PrintWriter;

import org.retentionpulse.app.cli.BenchCommand;
import org.retentionpulse.app.cli.BrokerCommand;
import org.retentionpulse.app.cli.DemoCommand;
import org.retentionpulse.app.cli.EvaluateCommand;
import org.retentionpulse.app.cli.GenerateCommand;
import org.retentionpulse.app.cli.ReplayCommand;
import org.retentionpulse.app.cli.ResetCommand;
import org.retentionpulse.app.cli.RunCommand;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code retention-pulse} command line: the entry point of the application jar.
 *
 * <p>Each subcommand is a class in {@code org.retentionpulse.app.cli}; adding one means adding it to
 * {@code subcommands} below. Help options, version and default values are inherited by every subcommand.
 */
@Command(
    name = "retention-pulse",
    mixinStandardHelpOptions = true,
    versionProvider = RetentionPulse.Version.class,
    showDefaultValues = true,
    usageHelpAutoWidth = true,
    scope = ScopeType.INHERIT,
    description = "Live retention metrics and churn-risk alerts from customer events in Kafka.",
    subcommands = {
        DemoCommand.class,
        RunCommand.class,
        ReplayCommand.class,
        GenerateCommand.class,
        BrokerCommand.class,
        BenchCommand.class,
        ResetCommand.class,
        EvaluateCommand.class,
        CommandLine.HelpCommand.class,
    }
)
public final class RetentionPulse implements Runnable {

    @Spec
    private CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to run commands without exiting the JVM. */
    public static CommandLine commandLine() {
        return new CommandLine(new RetentionPulse())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler(RetentionPulse::reportFailure);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
            + String.join(", ", spec.subcommands().keySet()));
    }

    /** A failing command prints one line, not a stack trace; the trace goes to the log at debug level. */
    private static int reportFailure(Exception e, CommandLine commandLine, ParseResult parseResult) {
        LoggerFactory.getLogger(RetentionPulse.class).debug("{} failed", commandLine.getCommandName(), e);
        PrintWriter err = commandLine.getErr();
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append(": ").append(cause.getMessage());
            }
        }
        err.println(commandLine.getColorScheme().errorText("retention-pulse " + commandLine.getCommandName()
            + ": " + message));
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnExecutionException();
    }

    /** Reports the application version (from the jar manifest) and the Kafka and Java versions it runs with. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = RetentionPulse.class.getPackage().getImplementationVersion();
            return new String[] {
                "retention-pulse " + (version != null ? version : "(development build)"),
                "Apache Kafka " + KafkaVersion.get(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            };
        }
    }
}
