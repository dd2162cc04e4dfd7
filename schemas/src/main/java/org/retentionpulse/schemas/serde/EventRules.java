package org.retentionpulse.schemas.serde;

import java.math.BigDecimal;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.SurveyType;

/**
 * The validity rules of the event contract (docs/METRICS.md section 1), shared by every decoder so that an event is
 * accepted or rejected the same way whether it arrived as Avro or as JSON.
 */
public final class EventRules {

    /** The reporting currency when none is configured. */
    public static final String DEFAULT_REPORTING_CURRENCY = "EUR";

    /** Fraction digits of a purchase amount (the Avro decimal scale). */
    public static final int AMOUNT_SCALE = 2;

    /** Integer digits a purchase amount can have: Avro decimal precision 18 minus scale 2. */
    static final int AMOUNT_INTEGER_DIGITS = 16;

    private EventRules() {
    }

    /**
     * Checks one event against the contract.
     *
     * @param event             one of the four event records
     * @param reportingCurrency the only currency a purchase may have, e.g. {@code EUR}
     * @throws InvalidEventException naming the first rule the event breaks
     */
    public static void validate(SpecificRecord event, String reportingCurrency) {
        if (event instanceof Signup s) {
            validateCommon(s.getEventId(), s.getCustomerId(), s.getOccurredAt());
        } else if (event instanceof Purchase p) {
            validateCommon(p.getEventId(), p.getCustomerId(), p.getOccurredAt());
            validatePurchase(p, reportingCurrency);
        } else if (event instanceof Cancellation c) {
            validateCommon(c.getEventId(), c.getCustomerId(), c.getOccurredAt());
        } else if (event instanceof SurveyResponse r) {
            validateCommon(r.getEventId(), r.getCustomerId(), r.getOccurredAt());
            validateSurvey(r);
        } else {
            throw new InvalidEventException(RejectReason.UNKNOWN_TYPE, "Not an event record: "
                + (event == null ? "null" : event.getSchema().getFullName()));
        }
    }

    private static void validateCommon(String eventId, String customerId, Instant occurredAt) {
        if (eventId == null) {
            throw missing("event_id");
        }
        if (eventId.isEmpty()) {
            throw new InvalidEventException(RejectReason.EMPTY_EVENT_ID, "event_id is empty");
        }
        if (customerId == null) {
            throw missing("customer_id");
        }
        if (customerId.isEmpty()) {
            throw new InvalidEventException(RejectReason.EMPTY_CUSTOMER_ID,
                "customer_id is empty (event_id \"" + eventId + "\")");
        }
        if (occurredAt == null) {
            throw missing("occurred_at");
        }
    }

    private static void validatePurchase(Purchase purchase, String reportingCurrency) {
        if (purchase.getOrderId() == null) {
            throw missing("order_id");
        }
        if (purchase.getOrderId().isEmpty()) {
            throw new InvalidEventException(RejectReason.MISSING_FIELD, "order_id is empty");
        }
        BigDecimal amount = purchase.getAmount();
        if (amount == null) {
            throw missing("amount");
        }
        if (amount.signum() < 0) {
            throw new InvalidEventException(RejectReason.NEGATIVE_AMOUNT,
                "amount " + amount.toPlainString() + " is negative");
        }
        // Trailing zeros are harmless ("12.340" is exactly 12.34); only a real third decimal would need rounding.
        if (amount.scale() > AMOUNT_SCALE && amount.stripTrailingZeros().scale() > AMOUNT_SCALE) {
            throw new InvalidEventException(RejectReason.AMOUNT_SCALE,
                "amount " + amount.toPlainString() + " has more than " + AMOUNT_SCALE + " decimals");
        }
        if (amount.precision() - amount.scale() > AMOUNT_INTEGER_DIGITS) {
            throw new InvalidEventException(RejectReason.MALFORMED_AMOUNT,
                "amount " + amount.toPlainString() + " has more than " + AMOUNT_INTEGER_DIGITS + " integer digits");
        }
        String currency = purchase.getCurrency();
        if (currency == null) {
            throw missing("currency");
        }
        if (!currency.equals(reportingCurrency)) {
            throw new InvalidEventException(RejectReason.CURRENCY_MISMATCH,
                "currency \"" + currency + "\" is not the reporting currency \"" + reportingCurrency + "\"");
        }
    }

    private static void validateSurvey(SurveyResponse response) {
        SurveyType survey = response.getSurvey();
        if (survey == null) {
            throw missing("survey");
        }
        int score = response.getScore();
        // No default branch: a new survey type must not compile until it has a range.
        int min = switch (survey) {
            case NPS -> 0;
            case CSAT, CES -> 1;
        };
        int max = switch (survey) {
            case NPS -> 10;
            case CSAT, CES -> 5;
        };
        if (score < min || score > max) {
            throw new InvalidEventException(RejectReason.SCORE_OUT_OF_RANGE,
                survey + " score " + score + " is outside " + min + ".." + max);
        }
    }

    private static InvalidEventException missing(String field) {
        return new InvalidEventException(RejectReason.MISSING_FIELD, field + " is missing");
    }
}
