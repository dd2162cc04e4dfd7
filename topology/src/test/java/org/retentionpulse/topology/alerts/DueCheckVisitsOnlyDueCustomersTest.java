package org.retentionpulse.topology.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.RiskLevel;

/**
 * The cost of a due check is the number of customers due, not the number of customers: a store of a million
 * customers with 1% due visits exactly those 10,000 index entries. Visits are counted, not timed.
 */
class DueCheckVisitsOnlyDueCustomersTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final int CUSTOMERS = 1_000_000;

    private static KeyValueStore<Bytes, byte[]> inMemoryIndex() {
        MockProcessorContext<String, ChurnRiskAlert> context = new MockProcessorContext<>();
        KeyValueStore<Bytes, byte[]> index = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ChurnRiskTracker.DUE_INDEX_STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        index.init(context.getStateStoreContext(), index);
        return index;
    }

    @Test
    void checkOverAMillionCustomersWithOnePercentDueTouchesOnlyThoseDue() {
        KeyValueStore<Bytes, byte[]> index = inMemoryIndex();
        Map<String, CustomerProfile> profiles = new HashMap<>();
        List<ChurnRiskAlert> alerts = new ArrayList<>();
        DueIndex due = new DueIndex(index);
        ChurnRiskTracker tracker = new ChurnRiskTracker(AlertPolicy.defaults(), ChurnPolicy.Inactivity.NONE, due, new ChurnRiskTracker.Profiles() {
            @Override
            public CustomerProfile get(String customerId) {
                return profiles.get(customerId);
            }

            @Override
            public void put(String customerId, CustomerProfile profile) {
                profiles.put(customerId, profile);
            }
        }, (customer, alert, sourceTimestamp) -> alerts.add(alert), () -> 0L);

        ChurnRiskScorer scorer = new ChurnRiskScorer(AlertPolicy.defaults());
        for (int i = 0; i < CUSTOMERS; i++) {
            // Weekly buyers; every hundredth bought last on day 14 (due on day 35), the rest on day 100.
            long last = i % 100 == 0 ? 14 * DAY : 100 * DAY;
            CustomerProfile p = new CustomerProfile();
            p.signup(0, "pro", "DE", "ads");
            p.purchase(last - 14 * DAY, 1_000);
            p.purchase(last - 7 * DAY, 1_000);
            p.purchase(last, 1_000);
            p.dueAt = scorer.assess(p, last).nextCheckAt();
            due.schedule("c" + i, p.dueAt);
            profiles.put("c" + i, p);
        }

        tracker.checkDue(36 * DAY, 36 * DAY);

        assertEquals(CUSTOMERS / 100, tracker.dueEntriesVisited());
        assertEquals(CUSTOMERS / 100, alerts.size());
        assertEquals(RiskLevel.MEDIUM, alerts.get(0).getLevel());
        // Each was rescheduled to its next escalation step (day 35 + 21/4), after the checked instant.
        assertEquals(40 * DAY + 6 * 3_600_000, profiles.get("c0").dueAt());

        tracker.checkDue(36 * DAY + 1, 36 * DAY + 1);
        assertEquals(CUSTOMERS / 100, tracker.dueEntriesVisited(), "nothing more is due: nothing more is visited");
    }

    @Test
    void aTrackerResumedAfterARestartScansFromWhereTheChecksEnded() {
        KeyValueStore<Bytes, byte[]> index = inMemoryIndex();
        DueIndex due = new DueIndex(index);
        // Entries below the checked instant stand for what a RocksDB scan from the first key steps over after a
        // restart: the tombstones of every entry handled before it (an in-memory store has none to show).
        for (int i = 0; i < 1_000; i++) {
            due.schedule("old" + i, 10 * DAY);
        }
        ChurnRiskTracker.Profiles none = new ChurnRiskTracker.Profiles() {
            @Override
            public CustomerProfile get(String customerId) {
                return null;
            }

            @Override
            public void put(String customerId, CustomerProfile profile) {
            }
        };
        ChurnRiskTracker fresh = new ChurnRiskTracker(AlertPolicy.defaults(), ChurnPolicy.Inactivity.NONE, new DueIndex(index), none,
                (customer, alert, sourceTimestamp) -> { }, () -> 0L);
        ChurnRiskTracker resumed = new ChurnRiskTracker(AlertPolicy.defaults(), ChurnPolicy.Inactivity.NONE, due, none,
                (customer, alert, sourceTimestamp) -> { }, () -> 0L);
        resumed.resume(20 * DAY);

        resumed.checkDue(21 * DAY, 21 * DAY);

        assertEquals(0, resumed.dueEntriesVisited(), "a resumed scan seeks to where the checks ended");
        assertEquals(21 * DAY, resumed.checkedUpTo());
        fresh.checkDue(21 * DAY, 21 * DAY);
        assertEquals(1_000, fresh.dueEntriesVisited(), "without the stored position the scan starts at the first key");
    }
}
