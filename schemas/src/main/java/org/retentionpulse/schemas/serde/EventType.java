package org.retentionpulse.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;

/**
 * The four input event types, with their canonical JSON {@code type} names and allocation-free accessors
 * for the fields every event has.
 */
public enum EventType {
    SIGNUP("signup"),
    PURCHASE("purchase"),
    CANCELLATION("cancellation"),
    SURVEY("survey");

    private final String jsonName;

    EventType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value of the {@code "type"} field in the canonical JSON form. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The type whose {@link #jsonName()} is {@code jsonName}, or {@code null} if there is none.
     */
    public static EventType fromJsonName(String jsonName) {
        return switch (jsonName) {
            case "signup" -> SIGNUP;
            case "purchase" -> PURCHASE;
            case "cancellation" -> CANCELLATION;
            case "survey" -> SURVEY;
            default -> null;
        };
    }

    /**
     * The type of an event record.
     *
     * @throws IllegalArgumentException if {@code event} is not one of the four event classes
     */
    public static EventType of(SpecificRecord event) {
        if (event instanceof Signup) {
            return SIGNUP;
        } else if (event instanceof Purchase) {
            return PURCHASE;
        } else if (event instanceof Cancellation) {
            return CANCELLATION;
        } else if (event instanceof SurveyResponse) {
            return SURVEY;
        }
        throw notAnEvent(event);
    }

    /** Whether {@code record} is one of the four event classes. */
    public static boolean isEvent(SpecificRecord record) {
        return record instanceof Signup || record instanceof Purchase
            || record instanceof Cancellation || record instanceof SurveyResponse;
    }

    /** The {@code event_id} of any event. */
    public static String eventId(SpecificRecord event) {
        if (event instanceof Signup s) {
            return s.getEventId();
        } else if (event instanceof Purchase p) {
            return p.getEventId();
        } else if (event instanceof Cancellation c) {
            return c.getEventId();
        } else if (event instanceof SurveyResponse r) {
            return r.getEventId();
        }
        throw notAnEvent(event);
    }

    /** The {@code customer_id} of any event. */
    public static String customerId(SpecificRecord event) {
        if (event instanceof Signup s) {
            return s.getCustomerId();
        } else if (event instanceof Purchase p) {
            return p.getCustomerId();
        } else if (event instanceof Cancellation c) {
            return c.getCustomerId();
        } else if (event instanceof SurveyResponse r) {
            return r.getCustomerId();
        }
        throw notAnEvent(event);
    }

    /** The event time ({@code occurred_at}) of any event, in epoch milliseconds. */
    public static long occurredAtMillis(SpecificRecord event) {
        if (event instanceof Signup s) {
            return s.getOccurredAt().toEpochMilli();
        } else if (event instanceof Purchase p) {
            return p.getOccurredAt().toEpochMilli();
        } else if (event instanceof Cancellation c) {
            return c.getOccurredAt().toEpochMilli();
        } else if (event instanceof SurveyResponse r) {
            return r.getOccurredAt().toEpochMilli();
        }
        throw notAnEvent(event);
    }

    private static IllegalArgumentException notAnEvent(SpecificRecord record) {
        return new IllegalArgumentException("Not an event record: "
            + (record == null ? "null" : record.getSchema().getFullName()));
    }
}
