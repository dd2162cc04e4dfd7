package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.retentionpulse.topology.RetentionPulseTopologyTest.key;
import static org.retentionpulse.topology.RetentionPulseTopologyTest.purchase;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.customer.CustomerProcessor;
import org.retentionpulse.topology.customer.CustomerState;
import org.retentionpulse.topology.customer.LateReason;

/**
 * The dedup horizon as a contract: an event id seen again within the horizon (default longest window + grace)
 * is dropped, even after its windows closed; the ids are kept no longer than the horizon allows, and a copy that
 * arrives after the horizon is accepted again (and, the horizon covering every window, is then late).
 */
class DuplicateHorizonTest {

    @Test
    void defaultHorizonIsTheLongestWindowPlusGrace() {
        assertEquals(Duration.ofDays(30).plusHours(6), TopologyConfig.defaults().dedupHorizon());
        assertEquals(Duration.ofDays(7).plusHours(6), PipelineDriver.config("P1D/P1D", "P7D/P1D").dedupHorizon());
    }

    @Test
    void horizonMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> TopologyConfig.defaults().withDedupHorizon(Duration.ZERO));
    }

    @Test
    void duplicateWithinTheHorizonIsDroppedEvenAfterItsWindowClosed() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            // 25 h later: the 03-01 window is closed (end + 6 h grace), the horizon (30 h) is not over.
            pipeline.send(purchase("p2", "bob", "2024-03-02T12:00:00Z"));
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            pipeline.closeAllWindows();

            assertEquals(List.of(), pipeline.lateEvents(), "dropped as a duplicate, not late");
            assertEquals(0, new BigDecimal("10.00").compareTo(
                    pipeline.finals().get(key("revenue", "P1D/P1D", "all", "2024-03-01T00:00:00Z"))));
        }
    }

    @Test
    void duplicateAfterTheHorizonIsAcceptedAgainAsALateEventAndIdsAreForgotten() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            KeyValueStore<String, CustomerState> states = pipeline.keyValueStore(CustomerProcessor.STATE_STORE);
            assertEquals(List.of("p1"), seenIds(states, "ann"));
            pipeline.send(purchase("p2", "bob", "2024-03-06T12:00:00Z"));
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            pipeline.closeAllWindows();

            List<TestRecord<String, byte[]>> late = pipeline.lateEvents();
            assertEquals(1, late.size(), "the copy is accepted again, and late for every window");
            assertEquals(LateReason.BEYOND_GRACE.code(), new String(
                    late.get(0).headers().lastHeader(CustomerProcessor.LATE_REASON_HEADER).value(), StandardCharsets.UTF_8));
            assertEquals(0, new BigDecimal("10.00").compareTo(
                    pipeline.finals().get(key("revenue", "P1D/P1D", "all", "2024-03-01T00:00:00Z"))),
                    "the closed window is not counted twice");
            assertEquals(List.of(), seenIds(states, "ann"),
                    "ids older than the horizon are forgotten when the customer's value is next written");
            assertEquals(List.of("p2"), seenIds(states, "bob"));
        }
    }

    @Test
    void sameIdForTwoCustomersIsTwoEvents() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            pipeline.send(purchase("p1", "bob", "2024-03-01T12:00:00Z"));
            pipeline.closeAllWindows();

            assertEquals(0, new BigDecimal("20.00").compareTo(
                    pipeline.finals().get(key("revenue", "P1D/P1D", "all", "2024-03-01T00:00:00Z"))),
                    "dedup is per customer (ARCHITECTURE.md, known limits)");
        }
    }

    private static List<String> seenIds(KeyValueStore<String, CustomerState> states, String customer) {
        return states.get(customer).seen().stream().map(CustomerState.SeenEvent::eventId).toList();
    }

    @Test
    void configuredHorizonIsUsed() {
        TopologyConfig config = PipelineDriver.config("P1D/P1D").withDedupHorizon(Duration.ofDays(10));
        try (PipelineDriver pipeline = new PipelineDriver(config)) {
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            pipeline.send(purchase("p2", "bob", "2024-03-06T12:00:00Z"));
            pipeline.send(purchase("p1", "ann", "2024-03-01T11:00:00Z"));
            pipeline.closeAllWindows();

            assertEquals(List.of(), pipeline.lateEvents(), "within a 10-day horizon the copy is still a duplicate");
        }
    }
}
