package org.retentionpulse.reference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns one JSON line into an {@link Event}, or names the contract rule it breaks. */
final class EventDecoder {

    /** Either the event or the reason it was rejected. */
    record Decoded(Event event, RejectionReason rejection) {
        static Decoded rejected(RejectionReason reason) {
            return new Decoded(null, reason);
        }
    }

    static final String UNKNOWN = "unknown";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private final String reportingCurrency;
    private final List<String> dimensions;

    EventDecoder(String reportingCurrency, List<String> dimensions) {
        this.reportingCurrency = reportingCurrency;
        this.dimensions = dimensions;
    }

    Decoded decode(String line, long arrival) {
        JsonNode json;
        try {
            json = line == null ? null : JSON.readTree(line);
        } catch (Exception e) {
            return Decoded.rejected(RejectionReason.NOT_JSON);
        }
        if (json == null || !json.isObject()) {
            return Decoded.rejected(RejectionReason.NOT_JSON);
        }
        Event.Kind kind = kind(json.get("type"));
        if (kind == null) {
            return Decoded.rejected(RejectionReason.UNKNOWN_TYPE);
        }
        String eventId = requiredText(json, "event_id");
        String customerId = requiredText(json, "customer_id");
        String occurredAtText = requiredText(json, "occurred_at");
        if (eventId == null || customerId == null || !json.hasNonNull("occurred_at")) {
            return Decoded.rejected(RejectionReason.MISSING_FIELD);
        }
        if (occurredAtText == null) {
            return Decoded.rejected(RejectionReason.INVALID_TIMESTAMP);
        }
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(occurredAtText);
        } catch (DateTimeParseException e) {
            return Decoded.rejected(RejectionReason.INVALID_TIMESTAMP);
        }
        return switch (kind) {
            case SIGNUP -> new Decoded(new Event(arrival, kind, eventId, customerId, occurredAt,
                    signupDimensions(json), optionalText(json, "channel"), null, null, 0, null), null);
            case CANCELLATION -> new Decoded(new Event(arrival, kind, eventId, customerId, occurredAt,
                    null, null, null, null, 0, optionalText(json, "reason")), null);
            case PURCHASE -> purchase(json, arrival, eventId, customerId, occurredAt);
            case SURVEY -> survey(json, arrival, eventId, customerId, occurredAt);
        };
    }

    private Decoded purchase(JsonNode json, long arrival, String eventId, String customerId, Instant occurredAt) {
        if (requiredText(json, "order_id") == null || !json.hasNonNull("amount")
                || requiredText(json, "currency") == null) {
            return Decoded.rejected(RejectionReason.MISSING_FIELD);
        }
        BigDecimal amount = amount(json.get("amount"));
        if (amount == null) {
            return Decoded.rejected(RejectionReason.INVALID_AMOUNT);
        }
        if (!reportingCurrency.equals(json.get("currency").textValue())) {
            return Decoded.rejected(RejectionReason.CURRENCY_MISMATCH);
        }
        return new Decoded(new Event(arrival, Event.Kind.PURCHASE, eventId, customerId, occurredAt,
                null, null, amount, null, 0, null), null);
    }

    /** The contract's amount: a decimal string, at least 0, at most 2 decimals (trailing zeros aside). */
    private static BigDecimal amount(JsonNode node) {
        if (!node.isTextual() || !DECIMAL.matcher(node.textValue()).matches()) {
            return null;
        }
        BigDecimal amount = new BigDecimal(node.textValue());
        if (amount.signum() < 0 || amount.stripTrailingZeros().scale() > 2) {
            return null;
        }
        return amount;
    }

    private static Decoded survey(JsonNode json, long arrival, String eventId, String customerId, Instant occurredAt) {
        String surveyText = requiredText(json, "survey");
        if (surveyText == null || !json.hasNonNull("score")) {
            return Decoded.rejected(RejectionReason.MISSING_FIELD);
        }
        Event.Survey survey;
        try {
            survey = Event.Survey.valueOf(surveyText);
        } catch (IllegalArgumentException e) {
            return Decoded.rejected(RejectionReason.UNKNOWN_SURVEY_TYPE);
        }
        JsonNode scoreNode = json.get("score");
        if (!scoreNode.isIntegralNumber() || !scoreNode.canConvertToInt()) {
            return Decoded.rejected(RejectionReason.INVALID_SCORE);
        }
        int score = scoreNode.intValue();
        int min = survey == Event.Survey.NPS ? 0 : 1;
        int max = survey == Event.Survey.NPS ? 10 : 5;
        if (score < min || score > max) {
            return Decoded.rejected(RejectionReason.SCORE_OUT_OF_RANGE);
        }
        return new Decoded(new Event(arrival, Event.Kind.SURVEY, eventId, customerId, occurredAt,
                null, null, null, survey, score, null), null);
    }

    private Map<String, String> signupDimensions(JsonNode json) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String dimension : dimensions) {
            String value = optionalText(json, dimension);
            values.put(dimension, value == null ? UNKNOWN : value);
        }
        return Map.copyOf(values);
    }

    private static Event.Kind kind(JsonNode type) {
        if (type == null || !type.isTextual()) {
            return null;
        }
        return switch (type.textValue()) {
            case "signup" -> Event.Kind.SIGNUP;
            case "purchase" -> Event.Kind.PURCHASE;
            case "cancellation" -> Event.Kind.CANCELLATION;
            case "survey" -> Event.Kind.SURVEY;
            default -> null;
        };
    }

    /** A non-empty string field, or null. */
    private static String requiredText(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node != null && node.isTextual() && !node.textValue().isEmpty() ? node.textValue() : null;
    }

    /** An optional string field: absent, null or empty all mean "not given". */
    private static String optionalText(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String text = node.asText();
        return text.isEmpty() ? null : text;
    }
}
