package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InternalTopicsTest {

    @Test
    void everyStoreChangelogAndTheRepartitionTopicAreNamedExactlyForTheirApplicationId() {
        Set<String> topics = RetentionPulseTopology.internalTopics("rp-crash");
        for (String expected : new String[] {"rp-crash-customer-state-changelog", "rp-crash-segment-aggregates-changelog",
                "rp-crash-metric-history-changelog", "rp-crash-metric-alert-finals-changelog", "rp-crash-segment-deltas-repartition"}) {
            assertTrue(topics.contains(expected), expected + " in " + topics);
        }
        assertTrue(topics.stream().allMatch(t -> t.startsWith("rp-crash-") && (t.endsWith("-changelog") || t.endsWith("-repartition"))));
        assertFalse(topics.contains("rp-crash-baseline-customer-state-changelog"), "another application id that starts with this one");
        assertFalse(topics.contains("rp-crash-metric-history-open-changelog"), "an unlogged store has no changelog");
    }
}
