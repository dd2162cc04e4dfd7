package org.retentionpulse.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.topology.RetentionPulseTopology;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.alerts.AlertPolicy;
import org.retentionpulse.topology.alerts.ChurnRiskScorer;
import org.retentionpulse.topology.customer.CustomerProcessor;
import org.retentionpulse.topology.customer.CustomerState;
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.CustomerPrediction;
import org.retentionpulse.topology.model.ModelPolicy;
import org.retentionpulse.topology.model.ModelRisk;
import org.retentionpulse.topology.modelfit.FittedModel;
import org.retentionpulse.topology.modelfit.ModelAssessor;
import org.retentionpulse.topology.modelfit.ModelFitState;
import org.retentionpulse.topology.modelfit.ModelFitting;
import org.retentionpulse.topology.modelfit.ModelRefitter;

/**
 * The stream and {@code evaluate} score with one function. For the same history up to a calibration end, the
 * P(alive), expected purchases and predicted CLV of each customer that the stream gives as of the end of the
 * calibration period (its task's fit as of the calibration end, the customer's stored summary) equal those
 * {@code evaluate --scores-out} writes when it scores with the stream's parameters. Why the parameters of the two
 * differ by default: the stream fits daily, warm-started from the day before, on its task's sample of every customer
 * with a purchase; evaluate fits once, cold, on the customers active with a purchase at the calibration end. On the
 * same customers (no cancellations here, all sampled) they find the same maximum.
 */
class StreamScoresMatchEvaluateTest {
    private static final long DAY = 86_400_000L;
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant CALIBRATION_END = Instant.parse("2024-04-01T00:00:00Z");
    private static final Instant HOLDOUT_END = Instant.parse("2024-07-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private int ids;

    /** BG/NBD's story to the holdout end: heterogeneous rates, dropouts and spend levels, signups over 60 days. */
    private List<String[]> history() {
        Random random = new Random(14);
        List<String[]> events = new ArrayList<>();
        for (int c = 0; c < 400; c++) {
            String id = "c" + c;
            long signup = START.toEpochMilli() + random.nextInt(60) * DAY + random.nextInt((int) DAY);
            events.add(new String[] {Long.toString(signup), id, "{\"type\":\"signup\",\"event_id\":\"e" + (++ids)
                    + "\",\"customer_id\":\"" + id + "\",\"occurred_at\":\"" + Instant.ofEpochMilli(signup)
                    + "\",\"plan\":\"pro\",\"country\":\"DE\",\"channel\":\"ads\"}"});
            double rate = 0.01 - Math.log(1 - random.nextDouble()) * 0.08;
            double u = random.nextDouble();
            long spend = 500 + random.nextInt(4_000);
            for (long t = signup + DAY / 2; t < HOLDOUT_END.toEpochMilli();
                    t += (long) (-Math.log(1 - random.nextDouble()) / rate * DAY)) {
                events.add(new String[] {Long.toString(t), id, "{\"type\":\"purchase\",\"event_id\":\"e" + (++ids)
                        + "\",\"customer_id\":\"" + id + "\",\"occurred_at\":\"" + Instant.ofEpochMilli(t) + "\",\"order_id\":\"o"
                        + ids + "\",\"amount\":\"" + java.math.BigDecimal.valueOf(spend + random.nextInt(1_000), 2)
                        + "\",\"currency\":\"EUR\"}"});
                if (random.nextDouble() < 0.8 * u * u) {
                    break;
                }
            }
        }
        events.sort(Comparator.comparingLong(e -> Long.parseLong(e[0])));
        return events;
    }

    @Test
    void theStreamsPredictionsAsOfTheCalibrationEndAreEvaluatesWithTheStreamsParameters(@TempDir Path dir) throws Exception {
        List<String[]> history = history();
        ModelPolicy policy = ModelPolicy.defaults();
        TopologyConfig config = TopologyConfig.defaults().withStores(TopologyConfig.StoreKind.IN_MEMORY)
                .withTopics(TopologyConfig.Topics.defaults().withInputs(List.of("events"))).withUpdateInterval(Duration.ZERO)
                .withModelFitting(new ModelFitting(policy, Duration.ofDays(1)));
        Properties props = RetentionPulseTopology.requiredStreamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stream-vs-evaluate");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Map<String, CustomerPrediction> stream = new HashMap<>();
        FittedModel fit;
        try (TopologyTestDriver driver = new TopologyTestDriver(RetentionPulseTopology.build(config), props, START)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic("events", new StringSerializer(), new ByteArraySerializer());
            history.stream().filter(e -> Long.parseLong(e[0]) < CALIBRATION_END.toEpochMilli())
                    .forEach(e -> input.pipeInput(e[1], e[2].getBytes(StandardCharsets.UTF_8)));
            // the first record at the calibration end: the task fits as of it (before applying it), on the purchases before
            input.pipeInput("later", ("{\"type\":\"signup\",\"event_id\":\"trigger\",\"customer_id\":\"later\",\"occurred_at\":\""
                    + CALIBRATION_END + "\",\"plan\":\"pro\",\"country\":\"DE\",\"channel\":\"ads\"}").getBytes(StandardCharsets.UTF_8));

            KeyValueStore<String, ModelFitState> fits = driver.getKeyValueStore(ModelRefitter.STORE);
            fit = fits.get(ModelRefitter.OVERALL).latest();
            assertNotNull(fit, "fitted: " + fits.get(ModelRefitter.OVERALL).failure());
            assertEquals(CALIBRATION_END.toEpochMilli(), fit.fittedAt());
            KeyValueStore<String, CustomerState> states = driver.getKeyValueStore(CustomerProcessor.STATE_STORE);
            ChurnRiskScorer scorer = new ChurnRiskScorer(AlertPolicy.defaults());
            ModelAssessor assessor = new ModelAssessor(scorer, new ModelRisk(policy, scorer));
            long endOfCalibration = CALIBRATION_END.toEpochMilli() - 1;
            try (var all = states.all()) {
                all.forEachRemaining(kv -> {
                    CustomerState s = kv.value;
                    var assessed = assessor.assess(s.profile(), s.purchases(), fit, endOfCalibration);
                    if (assessed.prediction() != null) {
                        stream.put(kv.key, assessed.prediction());
                    }
                });
            }
        }

        Path input = dir.resolve("events.jsonl");
        Files.write(input, history.stream().map(e -> e[2]).toList(), StandardCharsets.UTF_8);
        Path scores = dir.resolve("scores.jsonl");
        EvaluationOptions options = new EvaluationOptions(input, CALIBRATION_END, HOLDOUT_END,
                scores, "EUR");
        new Evaluation(options, AlertPolicy.defaults(), policy).run(fit.model(policy.horizon()));

        List<String> lines = Files.readAllLines(scores, StandardCharsets.UTF_8);
        assertEquals(stream.size(), lines.size(), "the same customers: active, with a purchase before the calibration end");
        assertTrue(lines.size() > 300, "most customers bought: " + lines.size());
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            CustomerPrediction p = stream.get(n.get("customer_id").asText());
            assertNotNull(p, line);
            assertEquals(round(p.pAlive()), n.get("p_alive").asDouble(), 0, line);
            assertEquals(round(p.expectedPurchases()), n.get("expected_purchases").asDouble(), 0, line);
            assertEquals(round(p.predictedClv()), n.get("predicted_clv").asDouble(), 0, line);
        }

        // evaluate's own fit: cold, on the same customers, the same maximum the stream's warm-started daily fits reached
        EvaluationReport own = new Evaluation(new EvaluationOptions(input, CALIBRATION_END, HOLDOUT_END,
                null, "EUR"), AlertPolicy.defaults(), policy).run();
        BgNbd batch = own.model().purchases().model();
        BgNbd streamed = fit.purchases().model();
        assertEquals(own.model().purchases().customers(), fit.purchases().customers());
        assertEquals(own.model().purchases().logLikelihood(), fit.purchases().logLikelihood(), 1e-6);
        assertEquals(batch.r(), streamed.r(), 1e-3 * batch.r());
        assertEquals(batch.b(), streamed.b(), 1e-3 * batch.b());
    }

    private static double round(double x) {
        return Math.round(x * 10_000d) / 10_000d;
    }
}
