package org.retentionpulse.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.schemas.serde.EventRules;
import org.retentionpulse.schemas.serde.EventType;

class EventGeneratorTest {

    static final GeneratorConfig SMALL = GeneratorConfig.builder().seed(7).customers(2_000).days(60).build();
    private static final List<GeneratedEvent> SMALL_EVENTS = all(SMALL);

    static List<GeneratedEvent> all(final GeneratorConfig config) {
        return EventGenerator.create(config).stream().toList();
    }

    static List<String> lines(final GeneratorConfig config) {
        return EventGenerator.create(config).stream()
                .map(event -> event.rawLine().orElseGet(() -> CanonicalJson.formatEvent(event.record())))
                .toList();
    }

    @Test
    void sameSeedYieldsTheSameEventsWithTheSameIds() {
        final List<String> first = lines(SMALL);
        final List<String> second = lines(SMALL);
        assertTrue(first.size() > 5_000, "a 2,000-customer population makes thousands of events: " + first.size());
        assertEquals(first, second);
    }

    @Test
    void differentSeedsYieldDifferentStreams() {
        final List<String> seven = lines(SMALL);
        final List<String> eight = lines(SMALL.toBuilder().seed(8).build());
        assertNotEquals(seven, eight);
        final Set<String> shared = new HashSet<>(seven.subList(0, 1_000));
        shared.retainAll(eight.subList(0, 1_000));
        assertTrue(shared.size() < 10, "streams of different seeds share events: " + shared.size());
    }

    @Test
    void customerKeepsItsBehaviourWhenThePopulationGrows() {
        final List<String> ofSmall = lines(SMALL).stream().filter(line -> line.contains("\"c000001\"")).toList();
        final List<String> ofLarge = lines(SMALL.toBuilder().customers(3_000).build()).stream()
                .filter(line -> line.contains("\"c000001\"")).toList();
        assertFalse(ofSmall.isEmpty());
        // Event and order ids depend on the whole population; everything else of customer 1 stays.
        assertEquals(ofSmall.stream().map(EventGeneratorTest::withoutIds).toList(),
                ofLarge.stream().map(EventGeneratorTest::withoutIds).toList());
    }

    private static String withoutIds(final String line) {
        return line.replaceAll("\"(event_id|order_id)\":\"[^\"]*\"", "");
    }

    @Test
    void cleanStreamIsInEventTimeOrderWithinThePeriod() {
        long previous = SMALL.start().toEpochMilli();
        for (final GeneratedEvent event : SMALL_EVENTS) {
            final long at = event.occurredAt().toEpochMilli();
            assertTrue(at >= previous, "event at " + event.occurredAt() + " after " + Instant.ofEpochMilli(previous));
            assertTrue(event.occurredAt().isBefore(SMALL.end()));
            assertEquals(Fault.NONE, event.fault());
            previous = at;
        }
    }

    @Test
    void everyCleanEventFollowsTheContract() {
        final List<GeneratedEvent> events = SMALL_EVENTS;
        final Set<String> orderIds = new HashSet<>();
        long sequence = 0;
        for (final GeneratedEvent event : events) {
            final SpecificRecord record = event.record();
            EventRules.validate(record, "EUR");
            assertEquals("e" + ++sequence, EventType.eventId(record), "event ids are e1, e2, ... in stream order");
            assertEquals(event.customerId(), EventType.customerId(record));
            assertEquals(event.occurredAt().toEpochMilli(), EventType.occurredAtMillis(record));
            assertTrue(event.rawLine().isEmpty());
            if (record instanceof Purchase purchase) {
                assertEquals(2, purchase.getAmount().scale());
                assertTrue(purchase.getAmount().signum() >= 0);
                assertEquals("EUR", purchase.getCurrency());
                assertTrue(orderIds.add(purchase.getOrderId()), "order ids are unique");
            }
            assertEquals(record, CanonicalJson.parseEvent(CanonicalJson.formatEvent(record), "EUR"));
        }
    }

    @Test
    void signupsCarryTheConfiguredDimensions() {
        final GeneratorConfig config = SMALL.toBuilder()
                .plans(WeightedValues.parse("free:1,paid:1"))
                .countries(WeightedValues.uniform("PT", "PL"))
                .channels(WeightedValues.parse("referral:1,ads:3"))
                .build();
        int withoutChannel = 0;
        int signups = 0;
        final Map<String, Integer> byChannel = new HashMap<>();
        for (final GeneratedEvent event : all(config)) {
            if (event.record() instanceof Signup signup) {
                signups++;
                assertTrue(config.plans().values().contains(signup.getPlan()));
                assertTrue(config.countries().values().contains(signup.getCountry()));
                if (signup.getChannel() == null) {
                    withoutChannel++;
                } else {
                    byChannel.merge(signup.getChannel(), 1, Integer::sum);
                }
            }
        }
        assertEquals(Set.of("referral", "ads"), byChannel.keySet());
        final double adsShare = byChannel.get("ads") / (double) (signups - withoutChannel);
        assertTrue(Math.abs(adsShare - 0.75) < 0.04, "weights decide the mix: " + adsShare);
        assertTrue(withoutChannel > 0 && withoutChannel < signups * 0.05,
                "a few signups leave the channel empty (segment unknown): " + withoutChannel);
    }

    @Test
    void customersBuyAndAnswerSurveysOnlyWhileActive() {
        final Map<String, Boolean> active = new HashMap<>();
        int reactivations = 0;
        int planChanges = 0;
        final Map<String, String> planOf = new HashMap<>();
        for (final GeneratedEvent event : SMALL_EVENTS) {
            final String customer = event.customerId();
            final SpecificRecord record = event.record();
            if (record instanceof Signup signup) {
                final Boolean before = active.put(customer, true);
                assertNotEquals(Boolean.TRUE, before, "a signup starts an active period: " + customer);
                if (before != null) {
                    reactivations++;
                    if (!signup.getPlan().equals(planOf.get(customer))) {
                        planChanges++;
                    }
                }
                planOf.put(customer, signup.getPlan());
            } else if (record instanceof Cancellation) {
                assertEquals(Boolean.TRUE, active.put(customer, false), "only active customers cancel: " + customer);
            } else if (customer.startsWith("g")) {
                assertTrue(record instanceof Purchase, "guests only buy");
                assertNull(active.get(customer), "guests never sign up");
            } else {
                assertEquals(Boolean.TRUE, active.get(customer),
                        "customers buy and answer surveys while active: " + customer);
            }
        }
        assertTrue(reactivations > 5, "some cancelled customers come back: " + reactivations);
        assertTrue(planChanges > 0, "some come back on another plan: " + planChanges);
    }

    @Test
    void aFewPurchasesComeFromCustomersWhoNeverSignedUp() {
        long purchases = 0;
        long byGuests = 0;
        final Set<String> signedUp = new HashSet<>();
        for (final GeneratedEvent event : SMALL_EVENTS) {
            if (event.record() instanceof Signup) {
                signedUp.add(event.customerId());
            } else if (event.record() instanceof Purchase) {
                purchases++;
                if (!signedUp.contains(event.customerId())) {
                    byGuests++;
                    assertTrue(event.customerId().startsWith("g"));
                }
            }
        }
        final double share = byGuests / (double) purchases;
        assertTrue(share > 0.004 && share < 0.05, "guest share of purchases: " + share);
    }

    @Test
    void everySurveyTypeIsAnswered() {
        final Map<String, Integer> byType = new HashMap<>();
        for (final GeneratedEvent event : SMALL_EVENTS) {
            if (event.record() instanceof SurveyResponse response) {
                byType.merge(response.getSurvey().name(), 1, Integer::sum);
            }
        }
        assertEquals(Set.of("NPS", "CSAT", "CES"), byType.keySet());
    }

    @Test
    void targetEventsCapsTheStream() {
        final EventGenerator generator = EventGenerator.create(SMALL.toBuilder().targetEvents(1_234).build());
        assertEquals(1_234, generator.stream().count());
        assertFalse(generator.hasNext());
        assertEquals(1_234, generator.eventsGenerated());
    }

    @Test
    void liveModeStartsTheStreamNow() {
        final Instant now = Instant.parse("2025-06-01T12:34:56.789123Z");
        final EventGenerator generator = EventGenerator.create(SMALL.toBuilder().live(true).speedup(60).build(),
                Clock.fixed(now, ZoneOffset.UTC));
        assertEquals(Instant.parse("2025-06-01T12:34:56.789Z"), generator.config().start());
        final GeneratedEvent first = generator.next();
        assertFalse(first.occurredAt().isBefore(generator.config().start()));
        assertTrue(first.occurredAt().isBefore(generator.config().start().plusSeconds(3_600)),
                "the initial cohort signs up in the first hour");
    }

    @Test
    void generatesAMillionEventsHoldingOnlyThePopulationInMemory() {
        final GeneratorConfig config = GeneratorConfig.builder().seed(3).customers(10_000).days(3_650)
                .meanPurchasesPerMonth(20).targetEvents(1_000_000)
                .faults(FaultRates.NONE.withOutOfOrder(0.05, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY))
                .build();
        final EventGenerator generator = EventGenerator.create(config);
        long count = 0;
        int mostInMemory = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        while (generator.hasNext()) {
            final GeneratedEvent event = generator.next();
            count++;
            if (event.record() instanceof Purchase purchase) {
                revenue = revenue.add(purchase.getAmount());
            }
            if ((count & 1023) == 0) {
                mostInMemory = Math.max(mostInMemory, generator.inMemory());
            }
        }
        assertEquals(1_000_000, count);
        assertTrue(revenue.signum() > 0);
        // Customers plus a few hours' worth of held-back events, nothing that grows with the stream.
        final int bound = generator.populationSize() + 2_000;
        if (mostInMemory > bound) {
            fail("generator held " + mostInMemory + " customers and events, more than " + bound);
        }
    }
}
