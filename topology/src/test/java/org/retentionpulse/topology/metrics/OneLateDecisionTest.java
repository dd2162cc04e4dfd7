package org.retentionpulse.topology.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.confidence.ConfidenceLevel;
import org.retentionpulse.topology.confidence.MetricIntervals;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.serde.SegmentDeltaSerde;
import org.retentionpulse.topology.time.UpdateCadence;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * With two customer tasks, the segment stage closes windows at the slower one's stream time; a change the faster one
 * decided after a window had closed there is left out of that window (it counts only where the customer task counted
 * it), so "late" and "counted" agree on several partitions.
 */
class OneLateDecisionTest {
    private static final long DAY = 86_400_000L;
    private static final long D = 20 * DAY;
    private static final WindowSet WINDOWS = new WindowSet(List.of(WindowSpec.parse("P1D/P1D"), WindowSpec.parse("P3D/P1D")),
            Duration.ofHours(6));

    /** Orders (O) of each final by window and start, for segment all. */
    private static Map<String, Long> finalOrders(SegmentDelta... deltas) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(SegmentAggregator.storeBuilder());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MetricHistory.STORE), Serdes.String(),
                new MetricUpdateSerde(WireFormat.AVRO)).withCachingDisabled());
        builder.addStateStore(MetricHistory.openStoreBuilder());
        builder.stream("deltas", Consumed.with(Serdes.String(), new SegmentDeltaSerde()))
                .process(() -> new SegmentAggregator(WINDOWS, 2, 1, new UpdateCadence(Duration.ZERO, Duration.ZERO), Duration.ofDays(90),
                        new MetricIntervals(ConfidenceLevel.defaults()), ChurnPolicy.DEFAULT), SegmentAggregator.STORE, MetricHistory.STORE,
                        MetricHistory.OPEN_STORE)
                .to("updates", Produced.with(Serdes.String(), new MetricUpdateSerde(WireFormat.AVRO)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "one-late-decision");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Map<String, Long> orders = new HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, SegmentDelta> in = driver.createInputTopic("deltas", new StringSerializer(), new SegmentDeltaSerde());
            for (SegmentDelta delta : deltas) {
                in.pipeInput("", delta);
            }
            TestOutputTopic<String, MetricUpdate> out = driver.createOutputTopic("updates", new StringDeserializer(),
                    new MetricUpdateSerde(WireFormat.AVRO).deserializer());
            for (MetricUpdate u : out.readValuesToList()) {
                if (u.getFinal$() && u.getMetric().equals("aov") && u.getSegment().equals("all")) {
                    orders.put(u.getWindow() + " " + u.getWindowStart().toEpochMilli() / DAY,
                            u.getComponents().getO());
                }
            }
        }
        return orders;
    }

    private static SegmentDelta.Batch order(int source, long at) {
        long[] counts = new long[Counter.COUNT];
        counts[Counter.ORDERS.ordinal()] = 1;
        counts[Counter.EVENTS.ordinal()] = 1;
        counts[Counter.REVENUE_CENTS.ordinal()] = 1000;
        return new SegmentDelta.Batch(0, source, List.of(new SegmentDelta.Changes("all",
                List.of(new SegmentDelta.BucketChange("all", WINDOWS.bucketOf(at), counts)), List.of(), List.of(), List.of())));
    }

    private static SegmentDelta.Watermark at(int source, long t) {
        return new SegmentDelta.Watermark(source, t, t);
    }

    @Test
    void anOrderTheFasterTaskDecidedAfterItsDayClosedCountsOnlyInTheWindowsStillOpenThere() {
        long slow = D + DAY / 2;              // day D open at the slow task
        long fast = D + 2 * DAY;              // day D closed at the fast task (end D+1 + 6 h < D+2), [D-1, D+2) and [D, D+3) open
        Map<String, Long> orders = finalOrders(at(0, slow), order(0, D + 1000), at(1, fast), order(1, D + 2000),
                at(0, D + 10 * DAY), at(1, D + 10 * DAY));
        long d = D / DAY;
        assertEquals(1L, orders.get("P1D/P1D " + d), "day D: the slow task's order only");
        assertEquals(2L, orders.get("P3D/P1D " + d), "[D, D+3): both");
        assertEquals(2L, orders.get("P3D/P1D " + (d - 1)), "[D-1, D+2): both");
        assertEquals(1L, orders.get("P3D/P1D " + (d - 2)), "[D-2, D+1) had closed at the fast task too (D+1 6 h < D+2)");
    }

    @Test
    void aWindowWhoseOnlyEventItsTaskDecidedLateForItHasNoRecord() {
        long slow = D - 3 * DAY;
        Map<String, Long> orders = finalOrders(at(0, slow), at(1, D + 2 * DAY), order(1, D + 5),
                at(0, D + 10 * DAY), at(1, D + 10 * DAY));
        long d = D / DAY;
        assertFalse(orders.containsKey("P1D/P1D " + d), "day D has no event it counts: no record " + orders);
        assertEquals(1L, orders.get("P3D/P1D " + d));
    }

    @Test
    void anOrderDecidedWhileTheDayWasOpenThereCountsInIt() {
        Map<String, Long> orders = finalOrders(at(0, D), at(1, D + DAY / 2), order(1, D + 5),
                at(0, D + 10 * DAY), at(1, D + 10 * DAY));
        assertEquals(1L, orders.get("P1D/P1D " + D / DAY));
    }
}
