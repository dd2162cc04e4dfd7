package org.retentionpulse.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacingTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void tokenBucketHoldsTheConfiguredRate() throws InterruptedException {
        final FakePaceClock clock = new FakePaceClock();
        final Pacer pacer = new TokenBucketPacer(2_000, clock);
        final long start = clock.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            pacer.awaitTurn(0);
        }
        final double seconds = (clock.nanoTime() - start) / 1e9;
        assertEquals(5.0, seconds, 0.03, "10,000 events at 2,000/s");
    }

    @Test
    void tokenBucketSleepsOncePerBurstNotPerEvent() throws InterruptedException {
        final FakePaceClock clock = new FakePaceClock();
        final Pacer pacer = new TokenBucketPacer(100_000, clock);
        for (int i = 0; i < 100_000; i++) {
            pacer.awaitTurn(0);
        }
        assertTrue(clock.sleeps <= 100_000 / 2_000 + 1, "one sleep per 20 ms burst of 2,000 events: " + clock.sleeps);
        assertEquals(1.0, clock.slept / 1e9, 0.03);
    }

    @Test
    void tokenBucketDoesNotCatchUpAfterAStall() throws InterruptedException {
        final FakePaceClock clock = new FakePaceClock();
        final Pacer pacer = new TokenBucketPacer(100, clock);
        pacer.awaitTurn(0);
        clock.advance(10 * SECOND);
        final long afterStall = clock.nanoTime();
        for (int i = 0; i < 100; i++) {
            pacer.awaitTurn(0);
        }
        // A burst of 1,000 queued-up events would take no time; the pace resumes at 100/s instead,
        // after making up a few events of lag (20 ms worth, plus the one in hand).
        final double seconds = (clock.nanoTime() - afterStall) / 1e9;
        assertTrue(seconds >= 0.95 && seconds <= 0.991, "100 events after a stall took " + seconds + " s");
    }

    @Test
    void tokenBucketMakesUpForOversleeping() throws InterruptedException {
        final FakePaceClock clock = new FakePaceClock();
        clock.afterSleep = () -> clock.advance(1_000_000L);
        final Pacer pacer = new TokenBucketPacer(200, clock);
        final long start = clock.nanoTime();
        for (int i = 0; i < 2_000; i++) {
            pacer.awaitTurn(0);
        }
        // Every 20 ms sleep overshoots by 1 ms, yet 2,000 events at 200/s still take 10 s.
        assertEquals(10.0, (clock.nanoTime() - start) / 1e9, 0.03);
    }

    @Test
    void liveClockWritesEachEventWhenItsTimeComes() throws InterruptedException {
        final FakePaceClock clock = new FakePaceClock();
        final long start = 1_700_000_000_000L;
        final Pacer pacer = new LiveClockPacer(start, 3_600, clock);
        final long wallStart = clock.nanoTime();
        pacer.awaitTurn(start);
        assertEquals(wallStart, clock.nanoTime(), "the period's start is now");
        pacer.awaitTurn(start + 3_600_000L);
        assertEquals(wallStart + SECOND, clock.nanoTime(), "one hour of event time per second");
        pacer.awaitTurn(start + 1_000L);
        assertEquals(wallStart + SECOND, clock.nanoTime(), "an event whose time has come is written at once");
        pacer.awaitTurn(start + 2 * 86_400_000L);
        assertEquals(wallStart + 48 * SECOND, clock.nanoTime());
    }

    @Test
    void backfilledHistoryIsWrittenAtOnceThenTheLivePaceStartsAtNow() throws InterruptedException {
        final FakePaceClock clock = new FakePaceClock();
        final long liveFrom = 1_700_000_000_000L;
        final Pacer pacer = new LiveClockPacer(liveFrom, 3_600, clock);
        final long wallStart = clock.nanoTime();
        pacer.awaitTurn(liveFrom - 90 * 86_400_000L);
        pacer.awaitTurn(liveFrom - 1);
        assertEquals(wallStart, clock.nanoTime(), "90 days of history without waiting");
        clock.advance(5 * SECOND); // the sink took 5 s to take the history
        pacer.awaitTurn(liveFrom);
        assertEquals(wallStart + 5 * SECOND, clock.nanoTime(), "live time starts when the history is written");
        pacer.awaitTurn(liveFrom + 3_600_000L);
        assertEquals(wallStart + 6 * SECOND, clock.nanoTime(), "then one hour of event time per second");
    }

    @Test
    void liveGeneratorWithBackfillStartsThatLongBeforeNow() {
        final java.time.Clock now = java.time.Clock.fixed(java.time.Instant.parse("2026-12-01T10:00:00Z"), java.time.ZoneOffset.UTC);
        final GeneratorConfig config = EventGenerator.create(GeneratorConfig.builder().live(true)
                .backfill(java.time.Duration.ofDays(90)).build(), now).config();
        assertEquals(java.time.Instant.parse("2026-09-02T10:00:00Z"), config.start());
        assertEquals(now.instant(), config.liveFrom());
    }

    @Test
    void configuredPaceDecidesThePacer() {
        final FakePaceClock clock = new FakePaceClock();
        final GeneratorConfig config = GeneratorConfig.defaults();
        assertEquals(Pacer.UNPACED, Pacer.of(config, clock));
        assertTrue(Pacer.of(config.toBuilder().eventsPerSecond(10).build(), clock) instanceof TokenBucketPacer);
        assertTrue(Pacer.of(config.toBuilder().eventsPerSecond(10).live(true).build(), clock) instanceof LiveClockPacer);
    }
}
