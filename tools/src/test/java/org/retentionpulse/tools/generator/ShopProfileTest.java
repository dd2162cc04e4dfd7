package org.retentionpulse.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;

/**
 * The shop profile (2,000 customers over 365 days): no cancellations, and under {@code churn.inactivity = P60D}
 * (contract section 7) customers who lapse, some of whom come back.
 */
class ShopProfileTest {

    private static final long DAY = SyntheticCustomer.DAY_MILLIS;
    private static final long D = 60 * DAY;
    private static final GeneratorConfig CONFIG = GeneratorConfig.builder().seed(7).customers(2_000).days(365)
            .profile(GeneratorConfig.Profile.SHOP).build();

    private static final List<GeneratedEvent> EVENTS = new ArrayList<>();
    /** Activity instants per customer (purchases and signups: a shop customer's first signup is effective). */
    private static final Map<String, List<Long>> ACTIVITY = new HashMap<>();
    private static final Set<String> SIGNED_UP = new TreeSet<>();

    @BeforeAll
    static void simulate() {
        EventGenerator.create(CONFIG).forEachRemaining(event -> {
            EVENTS.add(event);
            if (event.record() instanceof Signup) {
                SIGNED_UP.add(event.customerId());
            }
            if (event.record() instanceof Signup || event.record() instanceof Purchase) {
                ACTIVITY.computeIfAbsent(event.customerId(), c -> new ArrayList<>()).add(event.occurredAt().toEpochMilli());
            }
        });
    }

    @Test
    void shopCustomersNeverCancel() {
        assertTrue(EVENTS.size() > 10_000, () -> "events: " + EVENTS.size());
        assertEquals(0, EVENTS.stream().filter(e -> e.record() instanceof Cancellation).count());
    }

    @Test
    void customersBuyRepeatedlyAndAnswerSurveys() {
        long purchases = EVENTS.stream().filter(e -> e.record() instanceof Purchase).count();
        long surveys = EVENTS.stream().filter(e -> e.record() instanceof SurveyResponse).count();
        assertTrue(purchases > 3 * SIGNED_UP.size(), () -> purchases + " purchases of " + SIGNED_UP.size());
        assertTrue(surveys > SIGNED_UP.size(), () -> surveys + " surveys");
        // guests buy without signing up
        assertTrue(ACTIVITY.keySet().stream().anyMatch(c -> !SIGNED_UP.contains(c)));
    }

    @Test
    void manyCustomersLapseUnderSixtyDaysOfInactivityAndSomeComeBack() {
        long end = CONFIG.end().toEpochMilli();
        int lapsed = 0;
        int reactivated = 0;
        for (List<Long> times : ACTIVITY.values()) {
            times.sort(Long::compare);
            boolean lapsedOnce = false;
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i) - times.get(i - 1) >= D) {
                    lapsedOnce = true;
                    reactivated++;
                    break;
                }
            }
            // a lapse due before the end of the period, or a pause of D or more followed by a comeback
            lapsedOnce |= times.get(times.size() - 1) + D < end;
            lapsed += lapsedOnce ? 1 : 0;
        }
        int population = ACTIVITY.size();
        int lapsedCustomers = lapsed;
        int comebacks = reactivated;
        assertTrue(lapsedCustomers > population / 5, () -> lapsedCustomers + " of " + population + " lapsed");
        assertTrue(comebacks > population / 50, () -> comebacks + " of " + population + " came back after a lapse");
        assertTrue(comebacks < lapsedCustomers, () -> comebacks + " comebacks, " + lapsedCustomers + " lapsed");
    }

    @Test
    void theSameSeedGivesTheSameStreamAndAnotherSeedAnother() {
        List<String> again = new ArrayList<>();
        EventGenerator.create(CONFIG).forEachRemaining(e -> again.add(e.record().toString()));
        assertEquals(EVENTS.stream().map(e -> e.record().toString()).toList(), again);

        List<String> other = new ArrayList<>();
        EventGenerator.create(CONFIG.toBuilder().seed(8).build()).forEachRemaining(e -> other.add(e.record().toString()));
        assertNotEquals(again, other);
    }

    @Test
    void profileIsSubscriptionUnlessShopIsAsked() {
        assertEquals(GeneratorConfig.Profile.SUBSCRIPTION, GeneratorConfig.defaults().profile());
        assertEquals(GeneratorConfig.Profile.SHOP, GeneratorConfig.Profile.parse(" Shop "));
        assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.Profile.parse("retail"));
    }
}
