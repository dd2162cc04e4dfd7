package org.retentionpulse.topology.combine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.time.Backlog;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/** The combiner between the customer stage and the repartition topic: when it sends, what, and what survives a crash. */
class DeltaCombinerTest {
    private static final long DAY = 86_400_000L;
    private static final WindowSet WINDOWS = new WindowSet(List.of(WindowSpec.parse("P1D/P1D")), Duration.ofHours(6));

    private static SegmentDelta.Contribution order(long at) {
        long[] counts = new long[Counter.COUNT];
        counts[Counter.ORDERS.ordinal()] = 1;
        return new SegmentDelta.Contribution(2, at, List.of(new SegmentDelta.BucketChange("all", at / DAY * DAY, counts)),
                List.of(), List.of(), List.of(), at);
    }

    /** A combiner on a journal store that outlives it, as the changelog does a task. */
    private static final class Task {
        final MockProcessorContext<String, SegmentDelta> context = new MockProcessorContext<>();
        final DeltaCombiner combiner;

        Task(DeltaCombining combining, KeyValueStore<Integer, JournalEntry> journal) {
            context.addStateStore(journal);
            combiner = new DeltaCombiner(combining, 1, WINDOWS);
            combiner.init(context);
        }

        /** A tick at the start of day 1, so that the records of day 1 below close nothing more than it. */
        Task started() {
            combiner.process(new Record<>(null, new SegmentDelta.Watermark(2, DAY, DAY), DAY));
            context.resetForwards();
            return this;
        }

        void send(long at) {
            combiner.process(new Record<>("c", order(at), at));
        }

        List<SegmentDelta> forwarded() {
            List<SegmentDelta> out = new ArrayList<>();
            context.forwarded().forEach(f -> out.add(f.record().value()));
            context.resetForwards();
            return out;
        }

        List<SegmentDelta> forwardedAfterPunctuation() {
            punctuate();
            return forwarded();
        }

        void punctuate() {
            punctuateAt(0);
        }

        void punctuateAt(long wallClock) {
            context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(wallClock));
        }
    }

    private static KeyValueStore<Integer, JournalEntry> journal(MockProcessorContext<String, SegmentDelta> owner) {
        @SuppressWarnings("unchecked")
        KeyValueStore<Integer, JournalEntry> store = (KeyValueStore<Integer, JournalEntry>) DeltaCombiner.storeBuilder()
                .withLoggingDisabled().build();
        store.init(owner.getStateStoreContext(), store);
        return store;
    }

    private static long orders(List<SegmentDelta> out) {
        return out.stream().filter(d -> d instanceof SegmentDelta.Batch).flatMap(d -> ((SegmentDelta.Batch) d).changes().stream())
                .flatMap(c -> c.buckets().stream()).mapToLong(b -> b.counts()[Counter.ORDERS.ordinal()]).sum();
    }

    @Test
    void perRecordSendsEachRecordsChangesThenItsWatermarkAtOnce() {
        MockProcessorContext<String, SegmentDelta> owner = new MockProcessorContext<>();
        Task task = new Task(DeltaCombining.PER_RECORD, journal(owner));
        task.send(DAY + 5);
        List<SegmentDelta> out = task.forwarded();
        assertEquals(2, out.size());
        assertEquals(1, orders(out));
        assertEquals(new SegmentDelta.Watermark(2, DAY + 5, DAY + 5), out.get(1));
        assertEquals(List.of(), task.context.scheduledPunctuators(), "nothing to flush by wall clock");
    }

    @Test
    void combinedRecordsWaitForTheWallClockThenGoAsOneSumAndTheLatestWatermark() {
        MockProcessorContext<String, SegmentDelta> owner = new MockProcessorContext<>();
        Task task = new Task(new DeltaCombining(Duration.ofMillis(100), 1000), journal(owner)).started();
        task.send(DAY + 5);
        task.send(DAY + 9);
        task.send(DAY + 7);
        assertEquals(List.of(), task.forwarded(), "nothing sent before the punctuation");
        task.punctuate();
        List<SegmentDelta> out = task.forwarded();
        assertEquals(2, out.size(), "one batch, one watermark");
        assertEquals(3, orders(out));
        assertEquals(1, ((SegmentDelta.Batch) out.get(0)).changes().get(0).buckets().size(), "one summed bucket change");
        assertEquals(new SegmentDelta.Watermark(2, DAY + 7, DAY + 7), out.get(1), "the watermark after the last record");
        task.punctuate();
        assertEquals(List.of(), task.forwarded(), "an idle punctuation sends nothing");
    }

    @Test
    void aTaskBehindTheWallClockFlushesEveryBacklogIntervalAndALiveRecordAtTheNextPunctuation() {
        MockProcessorContext<String, SegmentDelta> owner = new MockProcessorContext<>();
        Task task = new Task(new DeltaCombining(Duration.ofMillis(100), 1000), journal(owner));
        long wallClock = DAY + 60_000; // a minute after the records below were appended: a backlog
        task.started();
        task.punctuateAt(wallClock);
        task.send(DAY + 5);
        task.send(DAY + 9);
        task.punctuateAt(wallClock + 100);
        assertEquals(List.of(), task.forwarded(), "behind: not every interval");
        task.punctuateAt(wallClock + Backlog.BEHIND.toMillis() - 1);
        assertEquals(List.of(), task.forwarded());
        task.punctuateAt(wallClock + Backlog.BEHIND.toMillis());
        assertEquals(2, orders(task.forwarded()), "behind: every backlog interval");

        long now = wallClock + Backlog.BEHIND.toMillis() + 100;
        task.send(now - 50); // appended 50 ms ago: caught up
        task.punctuateAt(now);
        assertEquals(1, orders(task.forwarded()), "live: at the next punctuation");
    }

    @Test
    void aLiveTaskThatReadRecordsAsksForACommitAtItsPunctuationAndATaskBehindLeavesItToTheCommitInterval() {
        MockProcessorContext<String, SegmentDelta> owner = new MockProcessorContext<>();
        Task task = new Task(new DeltaCombining(Duration.ofMillis(100), 1000), journal(owner)).started();
        long wallClock = DAY + 60_000;
        task.send(DAY + 5); // appended a minute before the wall clock: a backlog
        task.punctuateAt(wallClock);
        assertFalse(task.context.committed(), "behind: the commit interval decides");

        long now = wallClock + 100;
        task.send(now - 50);
        task.punctuateAt(now);
        assertTrue(task.context.committed(), "live: a commit at the punctuation");
        task.context.resetCommit();
        task.punctuateAt(now + 100);
        assertFalse(task.context.committed(), "nothing read since the last punctuation: no commit asked for");
    }

    @Test
    void aFullFlushGoesAtOnceAndATickFlushesBeforeItsWatermark() {
        MockProcessorContext<String, SegmentDelta> owner = new MockProcessorContext<>();
        Task task = new Task(new DeltaCombining(Duration.ofMillis(100), 2), journal(owner)).started();
        task.send(DAY + 1);
        assertEquals(List.of(), task.forwarded());
        task.send(DAY + 2);
        assertEquals(2, orders(task.forwarded()), "maxEvents records flush without waiting");
        task.send(DAY + 3);
        SegmentDelta.Watermark tick = new SegmentDelta.Watermark(2, 3 * DAY, DAY + 3);
        task.combiner.process(new Record<>(null, tick, 3 * DAY));
        List<SegmentDelta> out = task.forwarded();
        assertEquals(1, orders(out));
        assertEquals(tick, out.get(out.size() - 1), "the tick's watermark after the changes it covers");
    }

    @Test
    void aRecordDecidedAfterAClosingPointIsSentAfterAWatermarkThatClosedAsMuch() {
        MockProcessorContext<String, SegmentDelta> owner = new MockProcessorContext<>();
        Task task = new Task(new DeltaCombining(Duration.ofMillis(100), 1000), journal(owner)).started();
        long sixHours = DAY / 4;
        task.send(DAY + 5);
        task.send(DAY + 9);
        assertEquals(List.of(), task.forwarded(), "the same day: combined");
        task.send(2 * DAY + sixHours + 1); // its latest event time lets day 1 close: the stage must see day 1's records first
        List<SegmentDelta> out = task.forwarded();
        assertEquals(2, orders(out));
        assertEquals(new SegmentDelta.Watermark(2, DAY + 9, DAY + 9), out.get(out.size() - 1));
        task.send(2 * DAY + sixHours + 2); // decided at a stream time that closed day 1: after a watermark that did too
        out = task.forwarded();
        assertEquals(1, orders(out));
        assertEquals(new SegmentDelta.Watermark(2, 2 * DAY + sixHours + 1, 2 * DAY + sixHours + 1), out.get(out.size() - 1));
        task.send(2 * DAY + sixHours + 3);
        assertEquals(List.of(), task.forwarded(), "then combined again");
    }

    @Test
    void changesCombinedButNotSentWhenTheTaskCrashedAreSentByTheRestoredTaskOnceOnly() {
        MockProcessorContext<String, SegmentDelta> owner = new MockProcessorContext<>();
        KeyValueStore<Integer, JournalEntry> journal = journal(owner);
        DeltaCombining combining = new DeltaCombining(Duration.ofMillis(100), 1000);
        Task first = new Task(combining, journal).started();
        first.send(DAY + 1);
        first.send(DAY + 2);
        first.punctuate();
        assertEquals(2, orders(first.forwarded()));
        first.send(DAY + 3);
        first.send(DAY + 4);
        // the task dies here, after a commit that took the last two records' journal entries with their offsets

        Task restored = new Task(combining, journal);
        restored.punctuate();
        List<SegmentDelta> out = restored.forwarded();
        assertEquals(2, orders(out), "the two unsent records, not the two already sent");
        assertInstanceOf(SegmentDelta.Watermark.class, out.get(out.size() - 1));
        assertEquals(DAY + 4, ((SegmentDelta.Watermark) out.get(out.size() - 1)).streamTime());
        restored.send(DAY + 5);
        restored.punctuate();
        assertEquals(1, orders(restored.forwarded()), "the next cycle starts clean");
        assertEquals(0, orders(new Task(combining, journal).forwardedAfterPunctuation()), "nothing left after a flush");
    }
}
