package org.retentionpulse.topology.event;

import java.util.Objects;
import java.util.function.Function;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.schemas.serde.EventType;

/**
 * A validated customer event (docs/METRICS.md section 1) with typed fields: event time in epoch milliseconds, money in
 * cents (the amounts the rules accept have at most two decimals, so this is exact). Every field of the wire
 * record is kept, so an event can be written out again unchanged (the late-events topic).
 *
 * <p>{@link #match} is the exhaustive dispatch over the four kinds: Java 17 has no pattern-matching
 * {@code switch}, and a new kind will not compile until every caller handles it.
 */
public sealed interface CustomerEvent extends InputRecord {

    String eventId();

    String customerId();

    /** Event time ({@code occurred_at}), epoch ms. */
    long at();

    EventType type();

    /** Applies the function for this event's kind. */
    <R> R match(Function<Signup, R> signup, Function<Purchase, R> purchase, Function<Cancellation, R> cancellation,
            Function<SurveyAnswer, R> survey);

    /** Dimensions may be null (the spec's "unknown"). */
    record Signup(String eventId, String customerId, long at, String plan, String country, String channel)
            implements CustomerEvent {
        public Signup {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(customerId, "customerId");
        }

        @Override
        public EventType type() {
            return EventType.SIGNUP;
        }

        @Override
        public <R> R match(Function<Signup, R> signup, Function<Purchase, R> purchase,
                Function<Cancellation, R> cancellation, Function<SurveyAnswer, R> survey) {
            return signup.apply(this);
        }
    }

    record Purchase(String eventId, String customerId, long at, String orderId, long amountCents, String currency)
            implements CustomerEvent {
        public Purchase {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(customerId, "customerId");
        }

        @Override
        public EventType type() {
            return EventType.PURCHASE;
        }

        @Override
        public <R> R match(Function<Signup, R> signup, Function<Purchase, R> purchase,
                Function<Cancellation, R> cancellation, Function<SurveyAnswer, R> survey) {
            return purchase.apply(this);
        }
    }

    /** {@code reason} is free text and may be null. */
    record Cancellation(String eventId, String customerId, long at, String reason) implements CustomerEvent {
        public Cancellation {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(customerId, "customerId");
        }

        @Override
        public EventType type() {
            return EventType.CANCELLATION;
        }

        @Override
        public <R> R match(Function<Signup, R> signup, Function<Purchase, R> purchase,
                Function<Cancellation, R> cancellation, Function<SurveyAnswer, R> survey) {
            return cancellation.apply(this);
        }
    }

    /** A survey response; the score is within the survey's range (NPS 0..10, CSAT and CES 1..5). */
    record SurveyAnswer(String eventId, String customerId, long at, SurveyType survey, int score, String comment)
            implements CustomerEvent {
        public SurveyAnswer {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(survey, "survey");
        }

        @Override
        public EventType type() {
            return EventType.SURVEY;
        }

        @Override
        public <R> R match(Function<Signup, R> signup, Function<Purchase, R> purchase,
                Function<Cancellation, R> cancellation, Function<SurveyAnswer, R> survey) {
            return survey.apply(this);
        }
    }
}
