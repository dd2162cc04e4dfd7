package org.retentionpulse.reference;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A valid input event as the reference model keeps it. {@code arrival} is the position in the input and breaks
 * ties between events with the same {@code occurredAt}. Type-specific fields are null/0 for other types.
 *
 * @param signupDimensions for a signup: every configured dimension mapped to its value or {@code unknown}
 * @param channel          for a signup: the raw acquisition channel (referral share does not depend on the
 *                         channel being a configured dimension)
 * @param reason           for a cancellation: the raw reason as sent, or null ({@link ChurnReasons} normalises it)
 */
record Event(long arrival, Kind kind, String eventId, String customerId, Instant occurredAt,
             Map<String, String> signupDimensions, String channel, BigDecimal amount, Survey survey, int score,
             String reason) {

    enum Kind { SIGNUP, PURCHASE, CANCELLATION, SURVEY }

    enum Survey { NPS, CSAT, CES }

    static final String REFERRAL = "referral";

    boolean isReferralSignup() {
        return kind == Kind.SIGNUP && REFERRAL.equals(channel);
    }
}
