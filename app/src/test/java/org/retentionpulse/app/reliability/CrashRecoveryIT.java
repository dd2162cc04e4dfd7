package org.retentionpulse.app.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.tools.generator.FaultRates;

/**
 * The pipeline in its own JVM is killed with SIGKILL in the middle of a stream and restarted on the same state
 * directory: with exactly-once, its final metrics, alerts (scored with the customer-lifetime model fitted in the
 * stream) and model fits equal those of an uninterrupted run, and the metrics equal the spec's reference model.
 */
class CrashRecoveryIT {
    private static final int PARTITIONS = 4;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = ReliabilityBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void pipelineKilledMidStreamAndRestartedPublishesExactlyTheResultsOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
        EventStream stream = EventStream.generated(11, 1000, 40, 8_000,
                FaultRates.NONE.withDuplicateRate(0.01).withOutOfOrder(0.02, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY));
        Map<String, String> client = Map.of(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());

        PipelineOutputs uninterrupted;
        try (PipelineRun baseline = new PipelineRun("crash-baseline", client, PARTITIONS).createTopics()) {
            stream.produceAll(baseline.client(), baseline.inputTopic());
            stream.endInput(baseline.client(), baseline.inputTopic());
            try (StartedPipeline pipeline = baseline.start(dir.resolve("baseline-state"))) {
                baseline.awaitConsumed(Duration.ofMinutes(2));
            }
            uninterrupted = baseline.outputs();
        }
        uninterrupted.assertMatchesReference(stream.reference().finals());
        assertTrue(!uninterrupted.models().isEmpty(), "a customer task fitted the model (young tasks' fits are refused)");
        assertTrue(uninterrupted.alerts().stream().anyMatch(a -> a.contains("\"expected_purchases\"")),
                "alerts were scored with the model");

        try (PipelineRun run = new PipelineRun("crash", client, PARTITIONS).createTopics()) {
            stream.produceAll(run.client(), run.inputTopic());
            stream.endInput(run.client(), run.inputTopic());
            Path config = run.writeConfig(dir);
            Path state = dir.resolve("crash-state");
            long committedAtKill;
            long started = System.nanoTime();
            try (PipelineProcess first = PipelineProcess.start("crash-first", config, state, Map.of())) {
                Await.until(Duration.ofMinutes(2), "the first instance to commit a third of its input",
                        () -> run.committedInput() >= stream.size() / 3 || !first.isAlive());
                first.kill();
                committedAtKill = run.committedInput();
            }
            assertTrue(committedAtKill > 0 && committedAtKill < stream.size(), () -> "killed mid-stream: "
                    + committedAtKill + " of " + stream.size() + " input records committed");
            long restarted = System.nanoTime();
            try (PipelineProcess second = PipelineProcess.start("crash-second", config, state, Map.of())) {
                run.awaitConsumed(Duration.ofMinutes(2));
            }
            System.out.printf("CrashRecoveryIT: %d records, killed with %d committed, first instance %d ms,"
                    + " restart to end of input %d ms%n", stream.size(), committedAtKill,
                    (restarted - started) / 1_000_000, (System.nanoTime() - restarted) / 1_000_000);
            PipelineOutputs recovered = run.outputs();
            PipelineOutputs.assertSameResults(uninterrupted, recovered);
            System.out.printf("CrashRecoveryIT: %d finals, %d alerts and the latest model fit of %d tasks equal the uninterrupted run%n",
                    recovered.finals().size(), recovered.alerts().size(), recovered.models().size());
        }
    }
}
