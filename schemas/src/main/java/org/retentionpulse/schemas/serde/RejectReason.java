package org.retentionpulse.schemas.serde;

import java.util.Locale;

/**
 * Why an input record was rejected. The {@link #code()} is stable: it names the reason in dead-letter
 * headers and metric labels, so renaming a constant is a breaking change.
 */
public enum RejectReason {
    /** The record is empty or null: there is nothing to decode. */
    EMPTY_RECORD,
    /** The bytes are neither Avro single-object encoding nor a JSON object. */
    NOT_JSON,
    /** The bytes carry the Avro single-object marker but the body cannot be decoded. */
    UNDECODABLE,
    /** The Avro writer-schema fingerprint is not one of the known (or registered) schemas. */
    UNKNOWN_SCHEMA,
    /** The record is not one of the four event types (or the JSON {@code type} is unknown). */
    UNKNOWN_TYPE,
    /** A required field is absent or null (or, for {@code order_id}, empty). */
    MISSING_FIELD,
    /** A field has the wrong JSON type, e.g. a number where a string is expected. */
    WRONG_TYPE,
    /** {@code event_id} is the empty string. */
    EMPTY_EVENT_ID,
    /** {@code customer_id} is the empty string. */
    EMPTY_CUSTOMER_ID,
    /**
     * A timestamp is not a valid ISO-8601 instant string (JSON) or is out of the millisecond range. Epoch
     * milliseconds are the binary encodings' form; in JSON they are rejected with this reason.
     */
    BAD_TIMESTAMP,
    /** A survey score is outside the range of its survey type. */
    SCORE_OUT_OF_RANGE,
    /** The survey type is not NPS, CSAT or CES. */
    UNKNOWN_SURVEY_TYPE,
    /** A purchase amount is below zero. */
    NEGATIVE_AMOUNT,
    /** A purchase amount has more than two decimals. */
    AMOUNT_SCALE,
    /**
     * A purchase amount is not a plain decimal string ({@code "19.99"}; in JSON a number such as {@code 19.99}
     * and an exponent such as {@code "1e3"} are malformed), or it is too large for the schema.
     */
    MALFORMED_AMOUNT,
    /** A purchase currency differs from the configured reporting currency. */
    CURRENCY_MISMATCH,
    /**
     * The event time (or a stream-time tick) lies more than {@code input.max-future} ahead of the wall clock when
     * the record is processed: a producer's clock is wrong, and accepting it would move stream time past every
     * later event and make them all late.
     */
    EVENT_TIME_IN_FUTURE;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The lower_snake code used in dead-letter headers and metric labels, e.g. {@code amount_scale}. */
    public String code() {
        return code;
    }

    /**
     * The reason named by a {@link #code()}.
     *
     * @throws IllegalArgumentException if no reason has that code
     */
    public static RejectReason fromCode(String code) {
        for (RejectReason reason : values()) {
            if (reason.code.equals(code)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("Unknown reject reason code: " + code);
    }
}
