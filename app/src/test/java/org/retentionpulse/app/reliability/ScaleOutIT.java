package org.retentionpulse.app.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.tools.generator.FaultRates;

/**
 * Two pipeline processes share six input partitions; one is killed with SIGKILL mid-stream and the survivor
 * takes over its tasks; then a third joins and the tasks are rebalanced. The finals equal the reference model
 * and, with the alerts, a single uninterrupted instance's.
 */
class ScaleOutIT {
    private static final int PARTITIONS = 6;
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
    void survivorTakesOverAKilledInstanceAndAJoiningInstanceGetsWorkWithExactResults(@TempDir Path dir) throws Exception {
        EventStream stream = EventStream.generated(23, 1000, 40, 8_000,
                FaultRates.NONE.withDuplicateRate(0.01).withOutOfOrder(0.02, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY));
        Map<String, String> client = Map.of(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());

        PipelineOutputs single;
        try (PipelineRun baseline = new PipelineRun("scale-baseline", client, PARTITIONS).createTopics()) {
            stream.produceAll(baseline.client(), baseline.inputTopic());
            stream.endInput(baseline.client(), baseline.inputTopic());
            try (StartedPipeline pipeline = baseline.start(dir.resolve("baseline-state"))) {
                baseline.awaitConsumed(Duration.ofMinutes(2));
            }
            single = baseline.outputs();
        }

        try (PipelineRun run = new PipelineRun("scale", client, PARTITIONS).createTopics()
                // Every instance counts as caught up at once, so a joining one gets active tasks in the first rebalance.
                .with("streams.acceptable.recovery.lag", "1000000")) {
            Path config = run.writeConfig(dir);
            int third = stream.size() / 3;
            stream.produce(run.client(), run.inputTopic(), 0, third);
            try (PipelineProcess a = PipelineProcess.start("scale-a", config, dir.resolve("a-state"), Map.of());
                 PipelineProcess b = PipelineProcess.start("scale-b", config, dir.resolve("b-state"), Map.of())) {
                Await.until(Duration.ofMinutes(2), "two members with tasks", () -> membersWithTasks(run) == 2);
                Await.until(Duration.ofMinutes(2), "the pair to commit half of the first third",
                        () -> run.committedInput() >= third / 2);
                b.kill();
                long killedAt = run.committedInput();
                stream.produce(run.client(), run.inputTopic(), third, 2 * third);
                long killed = System.nanoTime();
                Await.until(Duration.ofMinutes(2), "the survivor to consume two thirds", () -> run.committedInput() == 2L * third);
                long takeover = System.nanoTime() - killed;
                assertTrue(a.isAlive());

                try (PipelineProcess c = PipelineProcess.start("scale-c", config, dir.resolve("c-state"), Map.of())) {
                    Await.until(Duration.ofMinutes(2), "the survivor and the newcomer to share the tasks",
                            () -> membersWithTasks(run) == 2 && c.running());
                    stream.produce(run.client(), run.inputTopic(), 2 * third, stream.size());
                    stream.endInput(run.client(), run.inputTopic());
                    run.awaitConsumed(Duration.ofMinutes(2));
                    assertTrue(a.isAlive() && c.isAlive());
                }
                System.out.printf("ScaleOutIT: %d records on %d partitions; b killed with %d committed; survivor had consumed"
                        + " two thirds %d ms after the kill%n", stream.size(), PARTITIONS, killedAt, takeover / 1_000_000);
            }
            PipelineOutputs scaled = run.outputs();
            scaled.assertMatchesReference(stream.reference().finals());
            PipelineOutputs.assertSameResults(single, scaled);
            System.out.printf("ScaleOutIT: %d finals and %d alerts equal the single-instance run%n",
                    scaled.finals().size(), scaled.alerts().size());
        }
    }

    /** Members of the application's consumer group that have input partitions assigned. */
    private static long membersWithTasks(PipelineRun run) {
        try {
            ConsumerGroupDescription group = run.admin().describeConsumerGroups(List.of(run.applicationId()))
                    .all().get(10, TimeUnit.SECONDS).get(run.applicationId());
            return group.members().stream().map(MemberDescription::assignment)
                    .filter(a -> a.topicPartitions().stream().anyMatch(tp -> tp.topic().equals(run.inputTopic()))).count();
        } catch (Exception e) {
            return -1;
        }
    }
}
