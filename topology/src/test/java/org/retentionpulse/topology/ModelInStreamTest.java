package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.ModelFit;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.topology.alerts.ChurnRiskScorer;
import org.retentionpulse.topology.customer.CustomerProcessor;
import org.retentionpulse.topology.customer.CustomerState;
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.CustomerSummary;
import org.retentionpulse.topology.model.FitSample;
import org.retentionpulse.topology.model.GammaGamma;
import org.retentionpulse.topology.model.ModelPolicy;
import org.retentionpulse.topology.model.ModelRisk;
import org.retentionpulse.topology.modelfit.FittedModel;
import org.retentionpulse.topology.modelfit.ModelAssessor;
import org.retentionpulse.topology.modelfit.ModelFitState;
import org.retentionpulse.topology.modelfit.ModelFitting;
import org.retentionpulse.topology.modelfit.ModelRefitter;

/**
 * The customer-lifetime model fitted inside the customer stage (TopologyTestDriver): the daily fit equals a batch
 * fit of the same customers' summaries, and the churn-risk alerts are the model's combined score.
 */
class ModelInStreamTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final long DAY = 86_400_000L;
    private static final int SAMPLE = 150;
    private int eventIds;

    private record Purchase(String customer, long at, long cents) {
    }

    private static TopologyConfig config() {
        ModelPolicy policy = new ModelPolicy(Duration.ofDays(90), 0.1, 0.1, SAMPLE);
        return PipelineDriver.config("P1D/P1D").withModelFitting(new ModelFitting(policy, Duration.ofDays(1)));
    }

    /**
     * BG/NBD's own story, so that the fit has something to find: each customer buys on signup, then at a Gamma
     * distributed rate until it drops out (after each purchase with its own probability).
     */
    private static List<Purchase> population(Random random, int customers, int days) {
        List<Purchase> out = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            String id = "c" + c;
            double rate = 0.02 + random.nextDouble() * 0.3;
            double dropout = 0.05 + random.nextDouble() * 0.4;
            long spend = 500 + random.nextInt(5_000);
            double t = random.nextDouble() * 30;
            while (t < days) {
                out.add(new Purchase(id, T0.toEpochMilli() + Math.round(t * DAY), spend + random.nextInt(1_000)));
                if (random.nextDouble() < dropout) {
                    break;
                }
                t += -Math.log(1 - random.nextDouble()) / rate;
            }
        }
        out.sort(Comparator.comparingLong(Purchase::at));
        return out;
    }

    private String purchase(Purchase p) {
        return "{\"type\":\"purchase\",\"event_id\":\"e" + (++eventIds) + "\",\"customer_id\":\"" + p.customer()
                + "\",\"occurred_at\":\"" + Instant.ofEpochMilli(p.at()) + "\",\"order_id\":\"o" + eventIds
                + "\",\"amount\":\"" + java.math.BigDecimal.valueOf(p.cents(), 2) + "\",\"currency\":\"EUR\"}";
    }

    private String signup(String customer, long at) {
        return "{\"type\":\"signup\",\"event_id\":\"e" + (++eventIds) + "\",\"customer_id\":\"" + customer
                + "\",\"occurred_at\":\"" + Instant.ofEpochMilli(at) + "\",\"plan\":\"pro\",\"country\":\"DE\",\"channel\":\"ads\"}";
    }

    @Test
    void theDailyFitEqualsABatchFitOfTheSameCustomersSample() {
        List<Purchase> purchases = population(new Random(14), 600, 60);
        long fitAt = T0.toEpochMilli() + 60 * DAY;
        try (PipelineDriver pipeline = new PipelineDriver(config())) {
            // out of order within a few hours, as producers deliver them
            Random shuffle = new Random(7);
            for (int i = 0; i < purchases.size(); i++) {
                int j = Math.min(purchases.size() - 1, i + shuffle.nextInt(3));
                Purchase swap = purchases.get(i);
                purchases.set(i, purchases.get(j));
                purchases.set(j, swap);
            }
            purchases.stream().filter(p -> p.at() < fitAt).forEach(p -> pipeline.send(purchase(p)));
            pipeline.tick(Instant.ofEpochMilli(fitAt + 1));

            KeyValueStore<String, ModelFitState> store = pipeline.keyValueStore(ModelRefitter.STORE);
            ModelFitState state = store.get(ModelRefitter.OVERALL);
            assertEquals(fitAt, state.evaluatedAt());
            assertEquals(0, state.failures());
            assertNull(state.failure());
            FittedModel fitted = state.latest();
            assertEquals(fitAt, fitted.fittedAt());

            Map<String, List<Purchase>> byCustomer = new LinkedHashMap<>();
            purchases.stream().filter(p -> p.at() < fitAt)
                    .forEach(p -> byCustomer.computeIfAbsent(p.customer(), k -> new ArrayList<>()).add(p));
            Map<String, CustomerSummary> summaries = new LinkedHashMap<>();
            byCustomer.forEach((id, ps) -> summaries.put(id, CustomerSummary.fromPurchases(
                    ps.stream().mapToLong(Purchase::at).toArray(), ps.stream().mapToLong(Purchase::cents).toArray(), fitAt)));
            assertTrue(summaries.size() > SAMPLE, "the sample is a part of the population: " + summaries.size());
            List<CustomerSummary> sample = FitSample.of(summaries, SAMPLE);
            BgNbd.Fit batch = BgNbd.fit(sample);
            GammaGamma.Fit batchSpend = GammaGamma.fit(sample);

            assertEquals(SAMPLE, fitted.purchases().customers());
            assertEquals(batch.logLikelihood(), fitted.purchases().logLikelihood(), 1e-6);
            assertClose(batch.model().r(), fitted.purchases().model().r());
            assertClose(batch.model().alpha(), fitted.purchases().model().alpha());
            assertClose(batch.model().a(), fitted.purchases().model().a());
            assertClose(batch.model().b(), fitted.purchases().model().b());
            assertEquals(batchSpend.customers(), fitted.spend().customers());
            assertEquals(batchSpend.logLikelihood(), fitted.spend().logLikelihood(), 1e-6);
            assertClose(batchSpend.model().p(), fitted.spend().model().p());
            assertClose(batchSpend.model().q(), fitted.spend().model().q());
            assertClose(batchSpend.model().v(), fitted.spend().model().v());

            // published on retention-model, one record per successful daily fit, the latest equal to the stored one
            List<TestRecord<String, ModelFit>> published = pipeline.models();
            // a sample of 150: failed fits are retried at the next instant (ModelRefitter.backsOff)
            assertTrue(published.size() >= 20, "a fit per day once there is enough data: " + published.size());
            TestRecord<String, ModelFit> latest = published.get(published.size() - 1);
            assertEquals("all|0", latest.key());
            assertEquals(fitted.toRecord(), latest.value());
            assertEquals(fitAt, latest.timestamp());
            for (int i = 1; i < published.size(); i++) {
                long gap = published.get(i).timestamp() - published.get(i - 1).timestamp();
                assertTrue(gap > 0 && gap % DAY == 0, "on the daily schedule of event time (a day without one failed)");
            }
        }
    }

    /** Warm-started from the previous day's parameters, the search ends where a cold batch search does. */
    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, 1e-3 * Math.abs(expected), "expected " + expected + ", got " + actual);
    }

    @Test
    void aFrequentBuyerWhoGoesQuietIsAlertedWithLowPAliveAndTheModelsScore() {
        List<Purchase> purchases = population(new Random(3), 600, 60);
        long lastPurchase = T0.toEpochMilli() + 40 * DAY + 3_600_000;
        for (int d = 0; d < 20; d++) {
            purchases.add(new Purchase("frequent", lastPurchase - (19 - d) * DAY, 2_000));
        }
        purchases.sort(Comparator.comparingLong(Purchase::at));
        try (PipelineDriver pipeline = new PipelineDriver(config())) {
            pipeline.send(signup("frequent", lastPurchase - 19 * DAY - 60_000));
            long due = lastPurchase + 14 * DAY;
            purchases.stream().filter(p -> p.at() <= due).forEach(p -> pipeline.send(purchase(p)));
            pipeline.tick(Instant.ofEpochMilli(due + 1));

            List<ChurnRiskAlert> alerts = pipeline.alerts().stream().map(TestRecord::value)
                    .filter(a -> a.getCustomerId().equals("frequent")).toList();
            assertEquals(1, alerts.size(), "one alert, when the quiet spell reaches the rules' threshold: " + alerts);
            ChurnRiskAlert alert = alerts.get(0);
            RiskReason lowPAlive = alert.getReasons().stream().filter(r -> r.getSignal() == RiskSignal.LOW_P_ALIVE)
                    .findFirst().orElseThrow(() -> new AssertionError("no LOW_P_ALIVE in " + alert));
            assertTrue(lowPAlive.getEvidence().get("p_alive") < 0.1, lowPAlive.toString());
            assertEquals(19.0, lowPAlive.getEvidence().get("repeat_purchases"));
            assertEquals(due, alert.getTriggeredAt().toEpochMilli(),
                    "daily rhythm: the rules' 14-day floor is when the customer is looked at");

            // the alert's score is what the one combination (ModelRisk, as in evaluate) gives for the stored state
            FittedModel model = pipeline.<String, ModelFitState>keyValueStore(ModelRefitter.STORE)
                    .get(ModelRefitter.OVERALL).latest();
            CustomerState state = pipeline.<String, CustomerState>keyValueStore(CustomerProcessor.STATE_STORE).get("frequent");
            assertNotNull(model);
            ChurnRiskScorer scorer = new ChurnRiskScorer(pipeline.config().alerts());
            ModelPolicy policy = pipeline.config().modelFitting().policy();
            long at = alert.getTriggeredAt().toEpochMilli();
            assertEquals(Math.floorDiv(at, DAY) * DAY, model.fittedAt(), "the latest fit is of the day of the alert");
            var expected = new ModelAssessor(scorer, new ModelRisk(policy, scorer))
                    .assess(state.profile(), state.purchases(), model, at);
            assertEquals(expected.assessment().score(), alert.getScore(), "model " + model);
            assertEquals(expected.assessment().level(), alert.getLevel());
        }
    }
}
