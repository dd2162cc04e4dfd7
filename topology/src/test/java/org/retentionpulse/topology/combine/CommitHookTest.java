package org.retentionpulse.topology.combine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.serde.SegmentDeltaSerde;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * The commit hook in a real Kafka Streams task (TopologyTestDriver commits the task after every input record, as a
 * stream thread does at its commit interval): what a processor holds is sent before the commit, and the combiner then
 * journals nothing. These tests pin the Kafka Streams internals the hook relies on ({@link CommitHook}).
 */
class CommitHookTest {
    private static final long DAY = 86_400_000L;

    private static Properties props() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "commit-hook-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return p;
    }

    /** Holds every record in memory and forwards nothing while processing: only the hook can send them. */
    private static final class Holder implements Processor<String, String, String, String> {
        private final List<Record<String, String>> held = new ArrayList<>();
        private ProcessorContext<String, String> context;
        boolean installed;

        /** The holders the topology created, the task's first. */
        static List<Holder> created(Topology topology, String name, String... stores) {
            List<Holder> created = new ArrayList<>();
            topology.addProcessor(name, () -> {
                Holder h = new Holder();
                created.add(h);
                return h;
            }, "in");
            if (stores.length > 0) {
                topology.connectProcessorAndStateStores(name, stores);
            }
            return created;
        }

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            installed = CommitHook.install(context, this::sendHeld) != null;
        }

        @Override
        public void process(Record<String, String> record) {
            held.add(record);
        }

        private void sendHeld() {
            held.forEach(context::forward);
            held.clear();
        }
    }

    @Test
    void whatAProcessorHoldsIsSentBeforeItsTaskCommits() {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
        topology.addStateStore(CommitHook.storeBuilder());
        List<Holder> holders = Holder.created(topology, "holder", CommitHook.STORE);
        topology.addSink("out", "out", Serdes.String().serializer(), Serdes.String().serializer(), "holder");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props())) {
            assertTrue(holders.get(holders.size() - 1).installed);
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
            in.pipeInput("k", "first", 5L);
            assertEquals(List.of("first"), out.readValuesToList());
            in.pipeInput("k", "second", 7L);
            in.pipeInput("k", "third", 9L);
            assertEquals(List.of("second", "third"), out.readValuesToList());
        }
    }

    @Test
    void withoutTheStoreOrOutsideKafkaStreamsNothingIsInstalled() {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
        List<Holder> holders = Holder.created(topology, "holder");
        topology.addSink("out", "out", Serdes.String().serializer(), Serdes.String().serializer(), "holder");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props())) {
            assertFalse(holders.isEmpty());
            assertFalse(holders.get(holders.size() - 1).installed);
        }
        Holder mocked = new Holder();
        mocked.init(new MockProcessorContext<>());
        assertFalse(mocked.installed);
    }

    /** A combiner in a task of its own, its records made into orders; an hour between its wall-clock flushes. */
    private static Topology combinerTopology() {
        WindowSet windows = new WindowSet(List.of(WindowSpec.parse("P1D/P1D")), Duration.ofHours(6));
        DeltaCombining combining = new DeltaCombining(Duration.ofHours(1), 1000);
        SegmentDeltaSerde serde = new SegmentDeltaSerde();
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.Long().deserializer(), "in");
        // The customer stage's part: a contribution per record (contributions have no wire format of their own).
        topology.addProcessor("orders", () -> new Processor<String, Long, String, SegmentDelta>() {
            private ProcessorContext<String, SegmentDelta> context;

            @Override
            public void init(ProcessorContext<String, SegmentDelta> context) {
                this.context = context;
            }

            @Override
            public void process(Record<String, Long> record) {
                context.forward(record.withValue(order(record.value())));
            }
        }, "in");
        topology.addProcessor("combiner", () -> new DeltaCombiner(combining, 1, windows), "orders");
        topology.addStateStore(DeltaCombiner.storeBuilder(), "combiner");
        topology.addStateStore(DeltaCombiner.commitHookBuilder(), "combiner");
        topology.addSink("out", "out", Serdes.String().serializer(), serde.serializer(), "combiner");
        return topology;
    }

    @Test
    void aCombinerBehindTheWallClockSendsItsChangesAtEachCommitAndJournalsNothing() {
        SegmentDeltaSerde serde = new SegmentDeltaSerde();
        // The records were appended in 1970, so the task is behind: every send below is the commit's.
        try (TopologyTestDriver driver = new TopologyTestDriver(combinerTopology(), props())) {
            TestInputTopic<String, Long> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.Long().serializer());
            TestOutputTopic<String, SegmentDelta> out = driver.createOutputTopic("out", Serdes.String().deserializer(), serde.deserializer());
            in.pipeInput("c", DAY + 1, DAY + 1);
            List<SegmentDelta> sent = out.readValuesToList();
            assertEquals(2, sent.size(), "the record's batch and the watermark, at the commit after it");
            assertEquals(1, orders(sent));
            assertInstanceOf(SegmentDelta.Watermark.class, sent.get(1));
            in.pipeInput("c", DAY + 2, DAY + 2);
            assertEquals(1, orders(out.readValuesToList()));

            KeyValueStore<Integer, JournalEntry> journal = driver.getKeyValueStore(DeltaCombiner.JOURNAL_STORE);
            try (KeyValueIterator<Integer, JournalEntry> entries = journal.all()) {
                assertFalse(entries.hasNext(), "no record journaled, no sent cycle to mark");
            }
            assertNull(journal.get(DeltaJournal.FLUSHED_SLOT));
        }
    }

    @Test
    void aLiveCombinerJournalsWhatItHoldsAtACommitAndSendsItAtItsNextTick() {
        SegmentDeltaSerde serde = new SegmentDeltaSerde();
        Instant wallClock = Instant.parse("2026-12-01T12:00:00Z");
        long now = wallClock.toEpochMilli();
        try (TopologyTestDriver driver = new TopologyTestDriver(combinerTopology(), props(), wallClock)) {
            TestInputTopic<String, Long> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.Long().serializer());
            TestOutputTopic<String, SegmentDelta> out = driver.createOutputTopic("out", Serdes.String().deserializer(), serde.deserializer());
            KeyValueStore<Integer, JournalEntry> journal = driver.getKeyValueStore(DeltaCombiner.JOURNAL_STORE);
            in.pipeInput("c", now - 20, now - 20); // appended 20 ms ago: live
            assertTrue(out.isEmpty(), "held until the tick");
            assertInstanceOf(JournalEntry.Changes.class, journal.get(0), "journaled at the commit after it");
            assertNull(journal.get(1));

            driver.advanceWallClockTime(Duration.ofHours(1));
            assertEquals(1, orders(out.readValuesToList()), "sent at the tick, once");
            assertInstanceOf(JournalEntry.Flushed.class, journal.get(DeltaJournal.FLUSHED_SLOT), "the cycle marked sent");
        }
    }

    private static SegmentDelta.Contribution order(long at) {
        long[] counts = new long[Counter.COUNT];
        counts[Counter.ORDERS.ordinal()] = 1;
        return new SegmentDelta.Contribution(0, at, List.of(new SegmentDelta.BucketChange("all", at / DAY * DAY, counts)),
                List.of(), List.of(), List.of(), at);
    }

    private static long orders(List<SegmentDelta> out) {
        return out.stream().filter(d -> d instanceof SegmentDelta.Batch).flatMap(d -> ((SegmentDelta.Batch) d).changes().stream())
                .flatMap(c -> c.buckets().stream()).mapToLong(b -> b.counts()[Counter.ORDERS.ordinal()]).sum();
    }
}
