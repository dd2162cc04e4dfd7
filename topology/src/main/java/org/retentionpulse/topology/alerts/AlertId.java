package org.retentionpulse.topology.alerts;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.retentionpulse.schemas.RiskLevel;

/**
 * Deterministic alert ids: a name-based UUID of the customer, the customer's alert sequence number, the
 * level and the triggering event time. Replaying the same input, or retrying a write after a crash, gives
 * the same id, so a consumer outside the exactly-once boundary can drop repeats.
 */
public final class AlertId {
    private AlertId() {
    }

    public static String of(String customerId, int sequence, RiskLevel level, long triggeredAt) {
        String name = customerId + '\u0000' + sequence + '\u0000' + level + '\u0000' + triggeredAt;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
