package org.retentionpulse.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class WriteToTest {

    private static final GeneratorConfig CONFIG = GeneratorConfig.builder().seed(5).customers(500).days(30).build();

    @Test
    void writesEveryEventAndFlushesTheSink() {
        final List<GeneratedEvent> expected = EventGeneratorTest.all(CONFIG);
        final CollectingSink sink = new CollectingSink();
        final GenerationSummary summary = EventGenerator.create(CONFIG).writeTo(sink, ProgressListener.NONE);
        assertEquals(expected.size(), sink.events.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).record(), sink.events.get(i).record());
        }
        assertEquals(expected.size(), summary.eventsWritten());
        assertEquals(expected.size(), summary.count(Fault.NONE));
        assertTrue(summary.exhausted());
        assertTrue(sink.flushes >= 1);
        assertFalse(sink.closed, "the caller owns the sink");
    }

    @Test
    void laterRunCarriesOnWhereTheLimitStoppedTheFirst() {
        final EventGenerator generator = EventGenerator.create(CONFIG);
        final CollectingSink sink = new CollectingSink();
        final GenerationSummary first = generator.writeTo(sink, 1_000, ProgressListener.NONE);
        assertEquals(1_000, first.eventsWritten());
        assertFalse(first.exhausted());
        generator.writeTo(sink, ProgressListener.NONE);
        assertEquals(EventGeneratorTest.lines(CONFIG).size(), sink.events.size());
        assertEquals(EventGeneratorTest.all(CONFIG).get(1_000).record(), sink.events.get(1_000).record());
    }

    @Test
    void reportsProgressAboutOncePerSecondAndWhenFinished() {
        final FakePaceClock clock = new FakePaceClock();
        final List<GenerationProgress> reports = new ArrayList<>();
        final GeneratorConfig paced = CONFIG.toBuilder().customers(2_000).eventsPerSecond(1_000).targetEvents(3_500).build();
        final GenerationSummary summary = EventGenerator.create(paced)
                .writeTo(new CollectingSink(), Long.MAX_VALUE, reports::add, clock);
        assertEquals(3_500, summary.eventsWritten());
        assertEquals(3.5, summary.elapsed().toNanos() / 1e9, 0.05, "3,500 events at 1,000/s");
        assertEquals(4, reports.size(), "after 1, 2 and 3 s, then the final report: " + reports);
        assertEquals(List.of(false, false, false, true), reports.stream().map(GenerationProgress::finished).toList());
        final GenerationProgress last = reports.get(3);
        assertEquals(3_500, last.eventsWritten());
        assertEquals(1_000, last.eventsPerSecond(), 20);
        assertTrue(reports.get(0).eventsWritten() < reports.get(1).eventsWritten());
        assertTrue(!last.eventTime().isBefore(reports.get(0).eventTime()));
    }

    @Test
    void stopEndsTheRunAndKeepsTheNextEvent() {
        final EventGenerator generator = EventGenerator.create(CONFIG);
        final CollectingSink sink = new CollectingSink();
        sink.afterWrite = () -> {
            if (sink.events.size() == 10) {
                generator.stop();
            }
        };
        final GenerationSummary summary = generator.writeTo(sink, ProgressListener.NONE);
        assertEquals(10, summary.eventsWritten());
        assertFalse(summary.exhausted());
        assertTrue(generator.hasNext(), "no event is lost by stopping");
        assertEquals(EventGeneratorTest.all(CONFIG).get(10).record(), generator.next().record());
    }

    @Test
    void stopAlsoEndsALongLiveWait() {
        final GeneratorConfig live = CONFIG.toBuilder().live(true).speedup(1).build();
        final EventGenerator generator = EventGenerator.create(live);
        final FakePaceClock clock = new FakePaceClock();
        clock.afterSleep = () -> {
            if (clock.slept > 5_000_000_000L) {
                generator.stop();
            }
        };
        final GenerationSummary summary = generator.writeTo(new CollectingSink(), Long.MAX_VALUE,
                ProgressListener.NONE, clock);
        assertTrue(summary.elapsed().toMillis() < 5_200, "stopped within a sleep slice: " + summary.elapsed());
        assertTrue(generator.hasNext());
    }

    @Test
    void emptyRunStillReportsOnce() {
        final EventGenerator generator = EventGenerator.create(CONFIG.toBuilder().targetEvents(1).build());
        generator.next();
        final List<GenerationProgress> reports = new ArrayList<>();
        final GenerationSummary summary = generator.writeTo(new CollectingSink(), reports::add);
        assertEquals(0, summary.eventsWritten());
        assertTrue(summary.exhausted());
        assertEquals(1, reports.size());
        assertNull(reports.get(0).eventTime());
    }
}
