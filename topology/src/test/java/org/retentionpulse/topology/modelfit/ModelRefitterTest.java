package org.retentionpulse.topology.modelfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.CustomerSummary;
import org.retentionpulse.topology.model.GammaGamma;
import org.retentionpulse.topology.model.ModelFitException;
import org.retentionpulse.topology.model.ModelPolicy;
import org.retentionpulse.topology.model.PurchaseDays;
import org.retentionpulse.topology.serde.ModelFitStateSerde;

/**
 * The refit schedule on real in-memory stores, driven directly: per-segment fits next to the overall one, which fit
 * scores whom, and the event-time backoff after failures. Fits are counted, never timed.
 */
class ModelRefitterTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final int MIN_REPEAT_BUYERS = 100;

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final FitSampleStore sample;
    private final KeyValueStore<String, ModelFitState> fits;
    private final List<FittedModel> published = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    ModelRefitterTest() {
        KeyValueStore<Bytes, byte[]> sampleStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FitSampleStore.STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        sampleStore.init(context.getStateStoreContext(), sampleStore);
        sample = new FitSampleStore(sampleStore, 5_000);
        fits = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ModelRefitter.STORE), Serdes.String(),
                new ModelFitStateSerde()).withLoggingDisabled().build();
        fits.init(context.getStateStoreContext(), fits);
    }

    private ModelRefitter refitter(ModelFitting fitting) {
        return new ModelRefitter(fitting, sample, fits, 0, published::add,
                (segment, reason) -> failures.add(segment + ":" + reason.code()), () -> 0L);
    }

    private static ModelFitting byPlan() {
        return new ModelFitting(ModelPolicy.defaults(), Duration.ofDays(1), Optional.of(Dimension.PLAN), MIN_REPEAT_BUYERS);
    }

    /** BG/NBD's own story over days [0, days): a purchase on day 0-30, then Poisson purchases until a dropout. */
    private static Map<String, PurchaseDays> population(Random random, String prefix, int customers, int days) {
        return population(random, prefix, customers, days, true);
    }

    /** The same; without {@code spendLevels} every purchase is 20.00, which leaves Gamma-Gamma unidentified. */
    private static Map<String, PurchaseDays> population(Random random, String prefix, int customers, int days,
            boolean spendLevels) {
        Map<String, PurchaseDays> out = new LinkedHashMap<>();
        for (int c = 0; c < customers; c++) {
            double rate = 0.02 + random.nextDouble() * 0.3;
            double dropout = 0.05 + random.nextDouble() * 0.4;
            long spend = 500 + random.nextInt(5_000); // a spend level of its own: what Gamma-Gamma is about
            double t = random.nextDouble() * 30;
            PurchaseDays d = PurchaseDays.first(Math.round(t * DAY), spendLevels ? spend + random.nextInt(1_000) : 2_000);
            while (random.nextDouble() >= dropout) {
                // without spend levels, one purchase a day at most: every repeat buyer's mean spend is then exactly 20.00
                t += (spendLevels ? 0 : 1) - Math.log(1 - random.nextDouble()) / rate;
                if (t >= days) {
                    break;
                }
                d.add(Math.round(t * DAY), spendLevels ? spend + random.nextInt(1_000) : 2_000, day -> false); // in time order: never asked
            }
            out.put(prefix + c, d);
        }
        return out;
    }

    private static CustomerProfile onPlan(String plan) {
        CustomerProfile p = new CustomerProfile();
        p.signup(0, plan, "DE", "ads");
        return p;
    }

    @Test
    void aValueWithEnoughRepeatBuyersGetsItsOwnFitAndScoresItsCustomersTheOthersGetTheOverallFit() {
        Map<String, PurchaseDays> customers = population(new Random(5), "c", 600, 120);
        List<CustomerSummary> pro = new ArrayList<>();
        List<CustomerSummary> free = new ArrayList<>();
        long fitAt = 121 * DAY;
        int i = 0;
        for (Map.Entry<String, PurchaseDays> c : customers.entrySet()) {
            boolean isFree = i++ % 10 == 0;
            sample.offer(c.getKey(), c.getValue(), isFree ? "plan=free" : "plan=pro");
            (isFree ? free : pro).add(c.getValue().summaryAsOf(fitAt - 1));
        }
        assertTrue(pro.stream().filter(s -> s.x() > 0).count() >= MIN_REPEAT_BUYERS, "pro has enough repeat buyers");
        assertTrue(free.stream().filter(s -> s.x() > 0).count() < MIN_REPEAT_BUYERS, "free has too few");
        ModelRefitter refitter = refitter(byPlan());

        refitter.advanceTo(fitAt + 3_600_000);

        assertEquals(List.of("all", "plan=pro"), published.stream().map(FittedModel::segment).toList(), failures + " " + refitter.state().failure());
        FittedModel proFit = refitter.state("plan=pro").latest();
        assertNotNull(proFit);
        assertEquals(fitAt, proFit.fittedAt());
        assertEquals(pro.size(), proFit.purchases().customers());
        assertEquals(600, refitter.state().latest().purchases().customers(), "the overall fit has every sampled customer");
        BgNbd.Fit batch = BgNbd.fit(pro);
        assertEquals(batch.logLikelihood(), proFit.purchases().logLikelihood(), 1e-6);
        assertClose(batch.model().r(), proFit.purchases().model().r());
        assertClose(batch.model().b(), proFit.purchases().model().b());
        assertEquals(GammaGamma.fit(pro).logLikelihood(), proFit.spend().logLikelihood(), 1e-6);
        assertSame(ModelFitState.NONE, refitter.state("plan=free"), "too small: not fitted, nothing stored");
        assertNull(fits.get("plan=free"));

        assertSame(proFit, refitter.fitFor(onPlan("pro")));
        assertSame(refitter.current(), refitter.fitFor(onPlan("free")));
        assertSame(refitter.current(), refitter.fitFor(onPlan("trial")), "a value never sampled: the overall fit");
        assertEquals(List.of(), failures);

        // a restarted task scores with the fits it had, from the store
        ModelRefitter restored = refitter(byPlan());
        assertEquals(proFit, restored.fitFor(onPlan("pro")));
        assertEquals(refitter.current(), restored.fitFor(onPlan("free")));
    }

    @Test
    void failedFitsBackOffInEventTimeAndASuccessResetsTheSchedule() {
        // every purchase 20.00: BG/NBD fits, Gamma-Gamma's spend heterogeneity runs off (the search ran: backs off)
        population(new Random(5), "c", 1_200, 120, false).forEach((id, days) -> sample.offer(id, days, ModelRefitter.OVERALL));
        ModelRefitter refitter = refitter(new ModelFitting(ModelPolicy.defaults(), Duration.ofDays(1)));
        List<Long> attempts = new ArrayList<>();
        for (int day = 121; day <= 182; day++) {
            int before = failures.size();
            refitter.advanceTo(day * DAY + 60_000);
            if (failures.size() > before) {
                attempts.add((long) day - 121);
            }
            assertEquals(day * DAY, refitter.state().evaluatedAt(), "every scheduled instant is recorded");
        }
        assertEquals(List.of(0L, 2L, 6L, 10L, 14L, 18L, 22L, 26L, 30L, 34L, 38L, 42L, 46L, 50L, 54L, 58L), attempts,
                "next attempts 2, then 4 intervals later: " + refitter.state());
        assertTrue(failures.stream().allMatch("all:not_identified"::equals), failures::toString);
        assertEquals(16, refitter.state().failures());
        assertEquals(183 * DAY, refitter.state().nextAttemptAt());
        assertEquals(refitter.state(), fits.get(ModelRefitter.OVERALL), "the schedule is in the logged store");

        // the same customers with spend levels of their own and purchases to day 190 (entries rewritten as on their
        // purchases): the first scheduled instant crossed after the backoff is tried, and succeeds
        population(new Random(5), "c", 1_200, 190).forEach((id, days) -> sample.offer(id, days, ModelRefitter.OVERALL));
        refitter.advanceTo(190 * DAY + 60_000);
        assertEquals(0, refitter.state().failures(), "fitted: " + refitter.state().failure());
        assertEquals(190 * DAY, refitter.state().latest().fittedAt());
        assertEquals(191 * DAY, refitter.state().nextAttemptAt());
        refitter.advanceTo(191 * DAY + 60_000);
        assertEquals(191 * DAY, refitter.state().latest().fittedAt(), "back to every interval");
        assertEquals(2, published.size());
        assertEquals(16, failures.size());
    }

    @Test
    void aSmallSampleIsRetriedAtEveryInstantAfterAFailedSearch() {
        population(new Random(5), "c", 600, 120, false).forEach((id, days) -> sample.offer(id, days, ModelRefitter.OVERALL));
        ModelRefitter refitter = refitter(new ModelFitting(ModelPolicy.defaults(), Duration.ofDays(1)));
        for (int day = 121; day <= 125; day++) {
            refitter.advanceTo(day * DAY + 60_000);
        }
        assertEquals(List.of("all:not_identified", "all:not_identified", "all:not_identified", "all:not_identified",
                "all:not_identified"), failures, "600 customers: a search costs milliseconds, no backoff");
        assertEquals(126 * DAY, refitter.state().nextAttemptAt());
    }

    @Test
    void tooFewRepeatBuyersIsRetriedAtEveryInstant() {
        population(new Random(1), "c", 300, 1).forEach((id, days) -> sample.offer(id, days, ModelRefitter.OVERALL));
        ModelRefitter refitter = refitter(new ModelFitting(ModelPolicy.defaults(), Duration.ofDays(1)));
        for (int day = 1; day <= 10; day++) {
            refitter.advanceTo(day * DAY + 60_000);
            assertEquals(day, failures.size(), "a count, not a search: no backoff");
            assertEquals((day + 1) * DAY, refitter.state().nextAttemptAt());
        }
        assertTrue(failures.stream().allMatch("all:too_few_repeat_buyers"::equals), failures::toString);
        assertEquals(0, refitter.state().failures());
    }

    @Test
    void theBackoffDoublesUpToItsCap() {
        assertEquals(List.of(2L, 4L, 4L, 4L, 4L, 4L),
                java.util.stream.IntStream.rangeClosed(1, 6).mapToObj(ModelRefitter::backoffIntervals).toList());
        assertEquals(ModelRefitter.MAX_BACKOFF_INTERVALS, ModelRefitter.backoffIntervals(1_000));
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, 1e-3 * Math.abs(expected), "expected " + expected + ", got " + actual);
    }
}
