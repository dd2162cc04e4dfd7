package org.retentionpulse.reference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.retentionpulse.reference.EventLines.cancellation;
import static org.retentionpulse.reference.EventLines.purchase;
import static org.retentionpulse.reference.EventLines.signup;
import static org.retentionpulse.reference.EventLines.survey;

/**
 * Properties of the reference model's sections 7-9 that a plain oracle can check, over random streams (the seed
 * is in the test name; the stream follows from it alone):
 * <ul>
 *   <li>an arrival order shuffled within grace gives the same finals and cohort cells as time order (lapses
 *       retracted by out-of-order activity, cohort membership moved by an earlier out-of-order start);</li>
 *   <li>counts add up with lapses: E = S + N - C, and the churned customers by reason sum to C;</li>
 *   <li>reason shares sum to 100 (up to their rounding) wherever C > 0;</li>
 *   <li>cohort {@code customers} of k = 0 equal the customers whose first activity lies in the period;</li>
 *   <li>with {@code churn.inactivity = none}, every value of section 4 is what the section-4 model gives.</li>
 * </ul>
 */
class SectionsSevenToNinePropertyTest {

    private static final Duration GRACE = Duration.ofHours(6);
    private static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
    private static final List<WindowSpecRef> WINDOWS = WindowSpecRef.parseAll("P1D/P1D,P2D/P1D");
    private static final String[] REASONS = {"Price", " price", "moved", "TOO EXPENSIVE", "", null, "bugs", "support"};

    static LongStream seeds() {
        return LongStream.range(0, Integer.getInteger("reference.property.streams", 12));
    }

    /** One event: its line and its instant (instants are distinct, so ties never depend on arrival). */
    private record Timed(Instant at, String line, String customer, boolean startsOrBuys) {
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void arrivalShuffledWithinGraceGivesTheTimeOrderResult(long seed) {
        List<Timed> events = stream(seed);
        ReferenceRules rules = rules(seed);
        ReferenceModel inOrder = model(rules);
        events.forEach(e -> inOrder.accept(e.line()));
        ReferenceModel shuffled = model(rules);
        arrivalWithinGrace(events, new SplittableRandom(seed * 31 + 7)).forEach(e -> shuffled.accept(e.line()));

        assertEquals(0, shuffled.lateEvents());
        assertEquals(List.of(), FinalValueComparison.differences(inOrder.finals(), shuffled.finals()));
        assertEquals(inOrder.cohortCells(), shuffled.cohortCells());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void countsAddUpAndReasonSharesSumToAHundred(long seed) {
        ReferenceModel model = model(rules(seed));
        stream(seed).forEach(e -> model.accept(e.line()));

        SortedMap<WindowSegment, SegmentCounts> counts = model.finalCounts();
        assertFalse(counts.isEmpty());
        counts.forEach((window, c) -> {
            assertEquals(c.activeAtStart() + c.signups() - c.cancellations(), c.activeAtEnd(), window::toString);
            assertEquals(c.cancellations(), c.churnedByReason().values().stream().mapToLong(Long::longValue).sum(),
                    window::toString);
        });
        Map<WindowSegment, BigDecimal> shareSums = new TreeMap<>();
        Map<WindowSegment, Integer> shareCounts = new TreeMap<>();
        model.finals().forEach((key, value) -> {
            if (key.metric().equals("churn_reason_share")) {
                WindowSegment ws = new WindowSegment(key.window(), key.segment(), key.windowStart());
                shareSums.merge(ws, value, BigDecimal::add);
                shareCounts.merge(ws, 1, Integer::sum);
                assertTrue(counts.get(ws).cancellations() > 0, ws::toString);
            }
        });
        counts.forEach((ws, c) -> assertEquals(c.cancellations() > 0, shareSums.containsKey(ws), ws::toString));
        shareSums.forEach((ws, sum) -> {
            BigDecimal tolerance = new BigDecimal("0.00005").multiply(BigDecimal.valueOf(shareCounts.get(ws)));
            assertTrue(sum.subtract(BigDecimal.valueOf(100)).abs().compareTo(tolerance) <= 0, () -> ws + ": " + sum);
            assertTrue(shareCounts.get(ws) <= rules(seed).reasonsCap() + 1, ws::toString);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void cohortOfAPeriodIsTheCustomersWhoseFirstStartLiesInIt(long seed) {
        ReferenceRules rules = rules(seed);
        List<Timed> events = stream(seed);
        ReferenceModel model = model(rules);
        events.forEach(e -> model.accept(e.line()));

        // The oracle: under churn.inactivity a customer's first start is its first signup or purchase; under none
        // its first signup. Every event arrives in time order here, so nothing is late.
        Map<String, Instant> first = new HashMap<>();
        for (Timed e : events) {
            boolean starts = rules.lapses() ? e.startsOrBuys() : e.line().contains("\"type\":\"signup\"");
            if (starts) {
                first.merge(e.customer(), e.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        Map<Instant, Long> expected = new TreeMap<>();
        first.values().forEach(at -> expected.merge(rules.cohortPeriod().startContaining(at), 1L, Long::sum));
        Map<Instant, Long> actual = new TreeMap<>();
        model.cohortCells().forEach((key, cell) -> {
            if (key.segment().equals("all") && key.k() == 0) {
                actual.put(key.cohortStart(), cell.customers());
            }
            assertTrue(cell.retained() <= cell.customers() && cell.active() <= cell.customers(), key::toString);
            assertTrue(key.k() <= rules.cohortPeriods(), key::toString);
        });
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void withoutInactivityChurnSectionFourIsUnchanged(long seed) {
        List<Timed> events = stream(seed);
        ReferenceModel sectionFour = new ReferenceModel(WINDOWS, GRACE, "EUR", ReferenceModel.DEFAULT_DIMENSIONS);
        ReferenceModel all = model(ReferenceRules.sevenToNine(null, "P1D", 3));
        arrivalWithinGrace(events, new SplittableRandom(seed)).forEach(e -> {
            sectionFour.accept(e.line());
            all.accept(e.line());
        });

        SortedMap<MetricKey, BigDecimal> withMore = all.finals();
        SortedMap<MetricKey, BigDecimal> restricted = new TreeMap<>();
        sectionFour.finals().keySet().forEach(key -> restricted.put(key, withMore.get(key)));
        assertEquals(List.of(), FinalValueComparison.differences(sectionFour.finals(), restricted));
        // the only extra section-4 keys are of segments published for their win-back pool alone
        withMore.keySet().stream()
                .filter(key -> MetricFormulas.METRICS.contains(key.metric()) && !sectionFour.finals().containsKey(key))
                .forEach(key -> {
                    SegmentCounts c = all.finalCounts().get(new WindowSegment(key.window(), key.segment(), key.windowStart()));
                    assertTrue(c.winBackPool() > 0 && !c.hasEvents() && c.activeAtStart() == 0, key::toString);
                });
    }

    // ---- streams ----

    /** Half the seeds with churn.inactivity (12 hours to 3 days), half without; cohort periods of a day or a week. */
    private static ReferenceRules rules(long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Duration inactivity = random.nextBoolean() ? Duration.ofHours(12L * (1 + random.nextInt(6))) : null;
        String period = random.nextBoolean() ? "P1D" : "P1W";
        return ReferenceRules.sevenToNine(inactivity, period, 1 + random.nextInt(4)).withReasonsCap(1 + random.nextInt(4));
    }

    private static ReferenceModel model(ReferenceRules rules) {
        return new ReferenceModel(WINDOWS, GRACE, "EUR", ReferenceModel.DEFAULT_DIMENSIONS, rules);
    }

    /** 60 to 260 events of up to 25 customers over 10 days, at distinct minutes, in time order. */
    private static List<Timed> stream(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int customers = 3 + random.nextInt(23);
        int size = 60 + random.nextInt(200);
        Set<Long> minutes = new HashSet<>();
        List<Timed> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long minute;
            do {
                minute = random.nextLong(10 * 24 * 60);
            } while (!minutes.add(minute));
            Instant at = START.plus(Duration.ofMinutes(minute));
            String time = at.toString();
            String customer = "c" + random.nextInt(customers);
            String id = "e" + i;
            int kind = random.nextInt(20);
            String line;
            boolean startsOrBuys = false;
            if (kind < 4) {
                line = signup(id, customer, time, pick(random, "basic", "pro", null), pick(random, "DE", "AT", null),
                        pick(random, "referral", "ads", null));
                startsOrBuys = true;
            } else if (kind < 13) {
                line = purchase(id, customer, time, random.nextInt(5000) / 100 + "." + String.format("%02d", random.nextInt(100)));
                startsOrBuys = true;
            } else if (kind < 16) {
                line = cancellation(id, customer, time, REASONS[random.nextInt(REASONS.length)]);
            } else {
                line = survey(id, customer, time, pick(random, "NPS", "CSAT", "CES"), 1 + random.nextInt(5));
            }
            events.add(new Timed(at, line, customer, startsOrBuys));
        }
        events.sort(Comparator.comparing(Timed::at));
        return events;
    }

    /**
     * The events in an arrival order where each arrives at most {@code grace} after its own time in stream time: each
     * is delayed by up to the grace, and they arrive by time plus delay. Nothing is late then, and no window or cohort
     * period an event can affect has closed before it arrives.
     */
    private static List<Timed> arrivalWithinGrace(List<Timed> events, SplittableRandom random) {
        Map<Timed, Instant> arrival = new HashMap<>();
        for (Timed event : events) {
            arrival.put(event, event.at().plusMillis(random.nextLong(GRACE.toMillis() + 1)));
        }
        List<Timed> order = new ArrayList<>(events);
        order.sort(Comparator.comparing((Timed e) -> arrival.get(e)).thenComparing(Timed::at));
        return order;
    }

    private static String pick(SplittableRandom random, String... values) {
        return values[random.nextInt(values.length)];
    }
}
