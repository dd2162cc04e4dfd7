package org.retentionpulse.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.schemas.serde.InvalidEventException;
import org.retentionpulse.schemas.serde.RejectReason;

class FaultInjectionTest {

    private static final Duration MAX_OUT_OF_ORDER = Duration.ofHours(3);
    private static final FaultRates RATES = new FaultRates(0.02, 0.03, 0.05, MAX_OUT_OF_ORDER, 0.01,
            FaultRates.DEFAULT_MIN_LATE_DELAY);
    private static final GeneratorConfig CLEAN = GeneratorConfig.builder().seed(11).customers(5_000).days(90).build();
    private static final GeneratorConfig FAULTY = CLEAN.toBuilder().faults(RATES).build();
    private static final List<GeneratedEvent> FAULTY_EVENTS = EventGeneratorTest.all(FAULTY);

    private static String line(final GeneratedEvent event) {
        return event.rawLine().orElseGet(() -> CanonicalJson.formatEvent(event.record()));
    }

    @Test
    void faultsOnlyAddOrDelayTheCleanEvents() {
        final Map<String, SpecificRecord> cleanById = new HashMap<>();
        EventGenerator.create(CLEAN).forEachRemaining(event -> cleanById.put(EventType.eventId(event.record()),
                event.record()));
        int kept = 0;
        long previousInOrder = 0;
        for (final GeneratedEvent event : FAULTY_EVENTS) {
            if (event.fault() == Fault.NONE || event.fault().isDelayed()) {
                kept++;
                final String id = EventType.eventId(event.record());
                assertEquals(cleanById.get(id), event.record(), "the clean event " + id + " is unchanged");
                if (event.fault() == Fault.NONE) {
                    final long sequence = Long.parseLong(id.substring(1));
                    assertTrue(sequence > previousInOrder, "events not delayed keep their order: " + id);
                    previousInOrder = sequence;
                }
            }
        }
        assertEquals(cleanById.size(), kept, "every clean event is written exactly once (besides duplicates)");
    }

    @Test
    void injectedFaultsOccurAtTheConfiguredRates() {
        final Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        long lateEligible = 0;
        final long lateHorizon = FAULTY.end().toEpochMilli() - RATES.minLateDelay().toMillis()
                - SyntheticCustomer.DAY_MILLIS / 2;
        for (final GeneratedEvent event : FAULTY_EVENTS) {
            counts.merge(event.fault(), 1, Integer::sum);
            final boolean purchaseOrSurvey = event.record() instanceof Purchase
                    || event.record() instanceof SurveyResponse;
            if (!event.fault().isInvalid() && event.fault() != Fault.DUPLICATE && purchaseOrSurvey
                    && event.occurredAt().toEpochMilli() < lateHorizon) {
                lateEligible++;
            }
        }
        final double clean = counts.get(Fault.NONE) + counts.get(Fault.OUT_OF_ORDER) + counts.get(Fault.LATE);
        final long invalid = counts.entrySet().stream().filter(entry -> entry.getKey().isInvalid())
                .mapToLong(Map.Entry::getValue).sum();
        assertTrue(clean > 25_000, "enough events to measure rates: " + clean);
        assertRate(0.02, counts.get(Fault.DUPLICATE) / clean, "duplicates");
        assertRate(0.03, invalid / clean, "invalid records");
        assertRate(0.05, counts.get(Fault.OUT_OF_ORDER) / clean, "out-of-order events");
        // Only purchases and surveys early enough to be overtaken by a month of newer events can be late.
        assertRate(0.01, counts.get(Fault.LATE) / (double) lateEligible, "late events");
        for (final Fault fault : Fault.values()) {
            if (fault.isInvalid()) {
                assertTrue(counts.getOrDefault(fault, 0) > invalid / 10, "every invalid kind occurs: " + fault);
            }
        }
    }

    private static void assertRate(final double expected, final double actual, final String what) {
        assertTrue(Math.abs(actual - expected) < expected * 0.25, what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void delayedEventsArriveWithinGraceOrAfterTheLongestWindowClosed() {
        long streamTime = Long.MIN_VALUE;
        int outOfOrder = 0;
        int late = 0;
        for (final GeneratedEvent event : FAULTY_EVENTS) {
            final long at = event.occurredAt().toEpochMilli();
            switch (event.fault()) {
                case OUT_OF_ORDER -> {
                    outOfOrder++;
                    assertTrue(streamTime - at <= MAX_OUT_OF_ORDER.toMillis(), "out of order by at most 3 h");
                }
                case LATE -> {
                    late++;
                    assertTrue(streamTime - at >= RATES.minLateDelay().toMillis(),
                            "late by more than the longest window plus grace: " + Duration.ofMillis(streamTime - at));
                }
                case DUPLICATE -> { }
                default -> assertTrue(at >= streamTime, "other events are in event-time order");
            }
            streamTime = Math.max(streamTime, at);
        }
        assertTrue(outOfOrder > 0 && late > 0);
    }

    @Test
    void duplicatesRepeatTheEventJustWritten() {
        GeneratedEvent previous = null;
        for (final GeneratedEvent event : FAULTY_EVENTS) {
            if (event.fault() == Fault.DUPLICATE) {
                assertSame(previous.record(), event.record());
                assertFalse(previous.fault().isInvalid());
            }
            previous = event;
        }
    }

    @Test
    void invalidRecordsAreRejectedForTheReasonTheirFaultNames() {
        final Map<Fault, RejectReason> expected = Map.of(
                Fault.INVALID_SCORE, RejectReason.SCORE_OUT_OF_RANGE,
                Fault.INVALID_AMOUNT_SCALE, RejectReason.AMOUNT_SCALE,
                Fault.NEGATIVE_AMOUNT, RejectReason.NEGATIVE_AMOUNT,
                Fault.WRONG_CURRENCY, RejectReason.CURRENCY_MISMATCH,
                Fault.MISSING_EVENT_ID, RejectReason.EMPTY_EVENT_ID,
                Fault.NOT_JSON, RejectReason.NOT_JSON);
        final Set<String> cleanIds = new HashSet<>();
        final Set<Fault> seen = new HashSet<>();
        final List<GeneratedEvent> invalid = new ArrayList<>();
        for (final GeneratedEvent event : FAULTY_EVENTS) {
            if (event.fault().isInvalid()) {
                invalid.add(event);
            } else {
                cleanIds.add(EventType.eventId(event.record()));
            }
        }
        for (final GeneratedEvent event : invalid) {
            final InvalidEventException rejection = assertThrows(InvalidEventException.class,
                    () -> CanonicalJson.parseEvent(line(event), "EUR"), () -> line(event));
            assertEquals(expected.get(event.fault()), rejection.reason(), line(event));
            assertFalse(cleanIds.contains(EventType.eventId(event.record())), "injected ids never shadow real ones");
            seen.add(event.fault());
        }
        assertEquals(expected.keySet(), seen);
    }

    @Test
    void noFaultsAreInjectedByDefault() {
        assertFalse(GeneratorConfig.defaults().faults().any());
        assertTrue(EventGeneratorTest.all(CLEAN).stream().allMatch(event -> event.fault() == Fault.NONE));
    }
}
