package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.retentionpulse.topology.RetentionPulseTopologyTest.purchase;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.schemas.serde.InvalidEventException;
import org.retentionpulse.schemas.serde.RejectReason;
import org.retentionpulse.topology.errors.DeadLetterHandler;
import org.retentionpulse.topology.serde.FutureEventGuard;

/**
 * Times from the future: an event or tick more than {@code input.max-future} ahead of the wall clock is rejected to
 * the dead-letter topic ({@code event_time_in_future}) instead of moving stream time to 2099 and making every later
 * event late. The clock is fixed, so the rule is checked exactly.
 */
class FutureEventsTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static PipelineDriver driver() {
        return new PipelineDriver(PipelineDriver.config("P1D/P1D", "P7D/P1D", "P30D/P1D").withFutureLimit(Duration.ofHours(1), CLOCK));
    }

    @Test
    void onePurchaseIn2099AmongThousandsChangesNoResultAndIsTheOnlyDeadLetter() {
        List<String> normal = RandomEventStream.generate(16, MetricsPropertyTest.refs(List.of("P1D/P1D", "P7D/P1D", "P30D/P1D")),
                TopologyConfig.DEFAULT_GRACE, 3_000, 300, 120);
        String fromTheFuture = purchase("bad-clock", "c-bad-clock", "2099-01-01T00:00:00Z");
        List<String> withBadEvent = new ArrayList<>(normal);
        withBadEvent.add(normal.size() / 3, fromTheFuture);

        SortedMap<MetricKey, BigDecimal> expected;
        List<String> cleanDeadLetters;
        int cleanLate;
        try (PipelineDriver clean = driver()) {
            clean.sendAll(normal);
            clean.closeAllWindows();
            expected = clean.finals();
            cleanLate = clean.lateEvents().size();
            // The random stream has a few invalid lines of its own.
            cleanDeadLetters = clean.deadLetters().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        }
        try (PipelineDriver dirty = driver()) {
            dirty.sendAll(withBadEvent);
            dirty.closeAllWindows();

            assertTrue(expected.size() > 1000, "finals: " + expected.size());
            assertEquals(expected, dirty.finals(), "the run with the 2099 purchase gives the results of the run without it");
            assertEquals(cleanLate, dirty.lateEvents().size(), "no later event became late");
            List<TestRecord<byte[], byte[]>> future = dirty.deadLetters().stream()
                    .filter(r -> header(r, DeadLetterHandler.REASON_HEADER).equals("event_time_in_future")).toList();
            assertEquals(1, future.size(), "exactly one record rejected as from the future");
            assertEquals(fromTheFuture, new String(future.get(0).value(), StandardCharsets.UTF_8));
            assertTrue(header(future.get(0), DeadLetterHandler.MESSAGE_HEADER).contains("2099-01-01T00:00:00Z"));
            assertFalse(cleanDeadLetters.contains(fromTheFuture));
        }
    }

    @Test
    void aTickFromTheFutureIsRejectedAndDoesNotCloseWindows() {
        try (PipelineDriver pipeline = driver()) {
            pipeline.send(purchase("p1", "ann", "2025-06-01T10:00:00Z"));
            pipeline.tick(Instant.parse("2099-01-01T00:00:00Z"));
            pipeline.send(purchase("p2", "bob", "2025-06-01T11:00:00Z"));
            pipeline.closeAllWindows();

            List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters();
            assertEquals(1, dead.size());
            assertEquals("event_time_in_future", header(dead.get(0), DeadLetterHandler.REASON_HEADER));
            assertEquals(List.of(), pipeline.lateEvents(), "bob's purchase is on time: the tick did not move stream time");
            assertEquals(0, new BigDecimal("20.00").compareTo(pipeline.finals().get(
                    RetentionPulseTopologyTest.key("revenue", "P1D/P1D", "all", "2025-06-01T00:00:00Z"))));
        }
    }

    @Test
    void theToleranceIsInclusiveAndReadsTheClockAtEachCheck() {
        FutureEventGuard guard = new FutureEventGuard(Duration.ofHours(1), CLOCK);
        long limit = NOW.plus(Duration.ofHours(1)).toEpochMilli();

        assertFalse(guard.isInFuture(limit));
        assertTrue(guard.isInFuture(limit + 1));
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> guard.check(limit + 1, "occurred_at"));
        assertEquals(RejectReason.EVENT_TIME_IN_FUTURE, e.reason());
        assertFalse(new FutureEventGuard(Duration.ofHours(1), Clock.offset(CLOCK, Duration.ofMillis(1))).isInFuture(limit + 1),
                "a millisecond later on the clock the same time is accepted");
        assertFalse(new FutureEventGuard(Duration.ofMillis(Long.MAX_VALUE), CLOCK).isInFuture(Long.MAX_VALUE),
                "a tolerance past the end of time does not overflow");
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
