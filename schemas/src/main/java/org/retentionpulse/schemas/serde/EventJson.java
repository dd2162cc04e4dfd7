package org.retentionpulse.schemas.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.SurveyType;

/**
 * Reads and writes the canonical JSON form of the four events. Reading is a single streaming pass that
 * collects the known fields as raw tokens first, because {@code "type"} may come last and a field that
 * the type does not use must be ignored rather than checked.
 */
final class EventJson {

    /** A plain decimal: optional minus, digits, optional fraction. No exponent, no leading '+' or '.'. */
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");

    private EventJson() {
    }

    static SpecificRecord parse(JsonParser parser, String reportingCurrency) throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new InvalidEventException(RejectReason.NOT_JSON, first == null
                ? "no JSON value (empty line)"
                : "expected a JSON object, got " + (first == JsonToken.VALUE_NULL ? "null" : RawValue.read(parser, first)));
        }
        RawFields raw = new RawFields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            raw.put(name, RawValue.read(parser, parser.nextToken()));
        }
        if (parser.nextToken() != null) {
            throw new InvalidEventException(RejectReason.NOT_JSON, "content after the JSON object");
        }
        SpecificRecord event = build(raw);
        EventRules.validate(event, reportingCurrency);
        return event;
    }

    private static SpecificRecord build(RawFields raw) {
        if (raw.type == null) {
            throw CanonicalJson.missingField("type");
        }
        if (raw.type.token != JsonToken.VALUE_STRING) {
            throw new InvalidEventException(RejectReason.UNKNOWN_TYPE, "type " + raw.type + " is not a string");
        }
        EventType type = EventType.fromJsonName(raw.type.text);
        if (type == null) {
            throw new InvalidEventException(RejectReason.UNKNOWN_TYPE,
                "type " + raw.type + " is not one of signup, purchase, cancellation, survey");
        }
        String eventId = requiredString(raw.eventId, "event_id");
        String customerId = requiredString(raw.customerId, "customer_id");
        Instant occurredAt = instant(raw.occurredAt);
        return switch (type) {
            case SIGNUP -> new Signup(eventId, customerId, occurredAt,
                optionalString(raw.plan, "plan"), optionalString(raw.country, "country"),
                optionalString(raw.channel, "channel"));
            case PURCHASE -> new Purchase(eventId, customerId, occurredAt,
                requiredString(raw.orderId, "order_id"), amount(raw.amount), requiredString(raw.currency, "currency"));
            case CANCELLATION -> new Cancellation(eventId, customerId, occurredAt, optionalString(raw.reason, "reason"));
            case SURVEY -> new SurveyResponse(eventId, customerId, occurredAt, survey(raw.survey), score(raw.score),
                optionalString(raw.comment, "comment"));
        };
    }

    private static String requiredString(RawValue value, String field) {
        if (value == null) {
            throw CanonicalJson.missingField(field);
        }
        return optionalString(value, field);
    }

    private static String optionalString(RawValue value, String field) {
        if (value == null) {
            return null;
        }
        if (value.token != JsonToken.VALUE_STRING) {
            throw CanonicalJson.wrongType(field, "a string", value);
        }
        return value.text;
    }

    private static Instant instant(RawValue value) {
        if (value == null) {
            throw CanonicalJson.missingField("occurred_at");
        }
        // The canonical JSON form has ISO-8601 instants only; epoch millis belong to the binary encodings.
        if (value.token != JsonToken.VALUE_STRING) {
            throw new InvalidEventException(RejectReason.BAD_TIMESTAMP, "occurred_at " + value
                + " is not an ISO-8601 instant string like \"2024-03-01T12:00:00Z\" (epoch milliseconds only in Avro)");
        }
        return CanonicalJson.parseInstant(value.text, "occurred_at");
    }

    private static BigDecimal amount(RawValue value) {
        if (value == null) {
            throw CanonicalJson.missingField("amount");
        }
        // The canonical JSON form writes money as a decimal string; a JSON number is refused, because
        // producers that write one usually went through a binary float on the way.
        if (value.token != JsonToken.VALUE_STRING || !PLAIN_DECIMAL.matcher(value.text).matches()) {
            throw new InvalidEventException(RejectReason.MALFORMED_AMOUNT,
                "amount " + value + " is not a decimal string like \"19.99\"");
        }
        BigDecimal amount = new BigDecimal(value.text);
        // Checked before rescaling: rescaling 1e999999999 to 2 decimals would build a billion-digit number.
        if (amount.precision() - amount.scale() > EventRules.AMOUNT_INTEGER_DIGITS) {
            throw new InvalidEventException(RejectReason.MALFORMED_AMOUNT,
                "amount " + value + " has more than " + EventRules.AMOUNT_INTEGER_DIGITS + " integer digits");
        }
        return toAmountScale(amount);
    }

    /** Scale 2 when that is exact, so equal amounts are equal records; otherwise unchanged for the rules to reject. */
    private static BigDecimal toAmountScale(BigDecimal amount) {
        if (amount.scale() == EventRules.AMOUNT_SCALE) {
            return amount;
        }
        try {
            return amount.setScale(EventRules.AMOUNT_SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            return amount;
        }
    }

    private static SurveyType survey(RawValue value) {
        String name = requiredString(value, "survey");
        for (SurveyType type : SurveyType.values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new InvalidEventException(RejectReason.UNKNOWN_SURVEY_TYPE,
            "survey \"" + name + "\" is not one of NPS, CSAT, CES");
    }

    private static int score(RawValue value) {
        if (value == null) {
            throw CanonicalJson.missingField("score");
        }
        if (value.token != JsonToken.VALUE_NUMBER_INT) {
            throw CanonicalJson.wrongType("score", "an integer", value);
        }
        try {
            return Integer.parseInt(value.text);
        } catch (NumberFormatException e) {
            throw new InvalidEventException(RejectReason.SCORE_OUT_OF_RANGE, "score " + value.text + " is not an int");
        }
    }

    static void write(JsonGenerator out, SpecificRecord event) throws IOException {
        EventType type = EventType.of(event);
        out.writeStartObject();
        out.writeStringField("type", type.jsonName());
        out.writeStringField("event_id", EventType.eventId(event));
        out.writeStringField("customer_id", EventType.customerId(event));
        out.writeStringField("occurred_at", CanonicalJson.formatInstant(Instant.ofEpochMilli(EventType.occurredAtMillis(event))));
        switch (type) {
            case SIGNUP -> {
                Signup signup = (Signup) event;
                writeOptional(out, "plan", signup.getPlan());
                writeOptional(out, "country", signup.getCountry());
                writeOptional(out, "channel", signup.getChannel());
            }
            case PURCHASE -> {
                Purchase purchase = (Purchase) event;
                out.writeStringField("order_id", purchase.getOrderId());
                out.writeStringField("amount", formatAmount(purchase.getAmount()));
                out.writeStringField("currency", purchase.getCurrency());
            }
            case CANCELLATION -> writeOptional(out, "reason", ((Cancellation) event).getReason());
            case SURVEY -> {
                SurveyResponse response = (SurveyResponse) event;
                out.writeStringField("survey", response.getSurvey().name());
                out.writeNumberField("score", response.getScore());
                writeOptional(out, "comment", response.getComment());
            }
        }
        out.writeEndObject();
    }

    private static String formatAmount(BigDecimal amount) {
        try {
            return amount.setScale(EventRules.AMOUNT_SCALE, RoundingMode.UNNECESSARY).toPlainString();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount " + amount.toPlainString() + " has more than "
                + EventRules.AMOUNT_SCALE + " decimals", e);
        }
    }

    private static void writeOptional(JsonGenerator out, String field, String value) throws IOException {
        if (value != null) {
            out.writeStringField(field, value);
        }
    }

    /** One field's value as read: its token and, for scalars, its exact text. */
    private record RawValue(JsonToken token, String text) {

        static RawValue read(JsonParser parser, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null; // an explicit null is the same as an absent field
            }
            if (token.isStructStart()) {
                parser.skipChildren();
                return new RawValue(token, null);
            }
            return new RawValue(token, parser.getText());
        }

        @Override
        public String toString() {
            return switch (token) {
                case VALUE_STRING -> "\"" + text + "\"";
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                default -> text;
            };
        }
    }

    /** The fields of any event type; names outside the contract are skipped for forward compatibility. */
    private static final class RawFields {
        RawValue type;
        RawValue eventId;
        RawValue customerId;
        RawValue occurredAt;
        RawValue plan;
        RawValue country;
        RawValue channel;
        RawValue orderId;
        RawValue amount;
        RawValue currency;
        RawValue reason;
        RawValue survey;
        RawValue score;
        RawValue comment;

        void put(String name, RawValue value) {
            switch (name) {
                case "type" -> type = value;
                case "event_id" -> eventId = value;
                case "customer_id" -> customerId = value;
                case "occurred_at" -> occurredAt = value;
                case "plan" -> plan = value;
                case "country" -> country = value;
                case "channel" -> channel = value;
                case "order_id" -> orderId = value;
                case "amount" -> amount = value;
                case "currency" -> currency = value;
                case "reason" -> reason = value;
                case "survey" -> survey = value;
                case "score" -> score = value;
                case "comment" -> comment = value;
                default -> { }
            }
        }
    }
}
