package org.retentionpulse.app.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The lag a finite run waits on, against a cluster whose last transaction commits while the lag is read: the customer
 * task appends two changes to the repartition topic and commits its last input offset, between the two lookups.
 */
class ApplicationLagTest {
    private static final TopicPartition INPUT = new TopicPartition("events", 0);
    private static final TopicPartition REPARTITION = new TopicPartition("app-segment-deltas-repartition", 0);
    private static final List<String> TOPICS = List.of(INPUT.topic(), REPARTITION.topic());

    /** Offsets before and after the task's last transaction; it commits right after the first lookup. */
    private static final class Cluster {
        private boolean committed;

        ApplicationLag.OffsetLookup committedOffsets() {
            return () -> {
                Map<TopicPartition, Long> offsets = committed ? Map.of(INPUT, 100L, REPARTITION, 40L) : Map.of(INPUT, 99L, REPARTITION, 40L);
                committed = true;
                return offsets;
            };
        }

        ApplicationLag.OffsetLookup endOffsets() {
            return () -> {
                Map<TopicPartition, Long> offsets = committed ? Map.of(INPUT, 100L, REPARTITION, 42L) : Map.of(INPUT, 100L, REPARTITION, 40L);
                committed = true;
                return offsets;
            };
        }
    }

    @Test
    void aTransactionCommittingBetweenTheTwoLookupsIsNeverTakenForTheEnd() throws Exception {
        Cluster cluster = new Cluster();
        Map<String, Long> during = ApplicationLag.behind(TOPICS, cluster.committedOffsets(), cluster.endOffsets());
        assertEquals(1L, during.get(INPUT.topic()), "the input's last record was not committed at the first lookup");

        Map<String, Long> after = ApplicationLag.behind(TOPICS, cluster.committedOffsets(), cluster.endOffsets());
        assertEquals(0L, after.get(INPUT.topic()));
        assertEquals(2L, after.get(REPARTITION.topic()), "the transaction's changes are still to be applied");
    }

    @Test
    void everyTopicIsAKeyAndAPartitionNeverCommittedIsBehindByItsWholeLength() throws Exception {
        Map<String, Long> behind = ApplicationLag.behind(List.of(INPUT.topic(), REPARTITION.topic(), "idle"),
                () -> Map.of(INPUT, 10L), () -> Map.of(INPUT, 10L, REPARTITION, 5L));
        assertEquals(Map.of(INPUT.topic(), 0L, REPARTITION.topic(), 5L, "idle", 0L), behind);
        assertTrue(behind.values().stream().anyMatch(v -> v > 0));
    }
}
