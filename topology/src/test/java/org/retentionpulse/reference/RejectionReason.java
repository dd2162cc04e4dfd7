package org.retentionpulse.reference;

/** Why an input record was rejected (docs/METRICS.md section 1); {@link #name()} is the key in rejection counts. */
public enum RejectionReason {
    /** Not a JSON object (unparseable, trailing garbage, or a JSON value that is not an object). */
    NOT_JSON,
    /** {@code type} missing or not one of signup, purchase, cancellation, survey. */
    UNKNOWN_TYPE,
    /** A required field is absent, null, empty or not a string: event_id, customer_id, occurred_at,
     *  order_id, amount, currency, survey, score. */
    MISSING_FIELD,
    /** {@code occurred_at} is not an ISO-8601 instant string. */
    INVALID_TIMESTAMP,
    /** {@code amount} is not a decimal string, is negative, or has more than 2 decimals. */
    INVALID_AMOUNT,
    /** {@code currency} differs from the reporting currency. */
    CURRENCY_MISMATCH,
    /** {@code survey} is not NPS, CSAT or CES. */
    UNKNOWN_SURVEY_TYPE,
    /** {@code score} is not an integer. */
    INVALID_SCORE,
    /** {@code score} outside NPS 0..10, CSAT 1..5 or CES 1..5. */
    SCORE_OUT_OF_RANGE
}
