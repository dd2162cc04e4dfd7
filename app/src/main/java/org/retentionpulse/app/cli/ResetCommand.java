package org.retentionpulse.app.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.pipeline.ApplicationReset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code retention-pulse reset}: deletes an application id's state, so the next start rebuilds it from the input. */
@Command(name = "reset",
        description = {"Deletes the state of an application id: its internal topics (changelogs, repartition topics, the "
                + "built-for record), its committed offsets (consumer group) and its local state directory on this machine.",
                "Input and output topics are kept. The next run reads the input topics from the beginning and rebuilds the "
                        + "state for its settings. Stop every instance first; run it on every machine with local state "
                        + "(or give the others an empty state.dir)."})
public final class ResetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--timeout", defaultValue = "PT2M", paramLabel = "DURATION",
            description = "How long to wait for stopped instances to leave the group (their session timeout).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Settings settings = pipeline.load();
        if (pipeline.applicationId == null) {
            throw new IllegalArgumentException("name the application to reset with --application-id ID");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ApplicationReset reset = new ApplicationReset(new PipelineSettings(settings).clientProperties(),
                settings.get(AppDefaults.APPLICATION_ID), Path.of(settings.get(AppDefaults.STATE_DIR)))) {
            ApplicationReset.Plan plan = reset.plan();
            out.print("Deletes the state of " + plan.describe());
            out.flush();
            if (plan.isEmpty()) {
                out.println("Nothing to delete.");
                return 0;
            }
            if (!yes && !confirmed(out)) {
                out.println("Nothing deleted.");
                return 1;
            }
            reset.awaitNoMembers(timeout);
            reset.execute(reset.plan());
            out.println("Deleted. The next start rebuilds the state from the input topics.");
            return 0;
        }
    }

    private static boolean confirmed(PrintWriter out) throws java.io.IOException {
        if (System.console() == null) {
            throw new IllegalArgumentException("not a terminal: confirm with --yes");
        }
        out.print("Delete? [y/N] ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && (answer.trim().toLowerCase(Locale.ROOT).equals("y") || answer.trim().equalsIgnoreCase("yes"));
    }
}
