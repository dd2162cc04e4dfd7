package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;

/** Every rule of docs/METRICS.md section 1 rejects with its own reason and a message naming field and value. */
class EventRejectionTest {

    private static final String HEAD = "\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01T00:00:00Z\"";

    static Stream<Arguments> badLines() {
        return Stream.of(
            Arguments.of("this line is not JSON", RejectReason.NOT_JSON, "this"),
            Arguments.of("", RejectReason.NOT_JSON, "empty"),
            Arguments.of("[1,2]", RejectReason.NOT_JSON, "array"),
            Arguments.of("{\"type\":\"signup\"," + HEAD + "} {}", RejectReason.NOT_JSON, "after"),
            Arguments.of("{\"type\":\"signup\",\"type\":\"survey\"," + HEAD + "}", RejectReason.NOT_JSON, "type"),
            Arguments.of("{\"type\":\"signup\"," + HEAD, RejectReason.NOT_JSON, "end-of-input"),
            Arguments.of("{" + HEAD + "}", RejectReason.MISSING_FIELD, "type"),
            Arguments.of("{\"type\":\"refund\"," + HEAD + "}", RejectReason.UNKNOWN_TYPE, "refund"),
            Arguments.of("{\"type\":7," + HEAD + "}", RejectReason.UNKNOWN_TYPE, "7"),
            Arguments.of("{\"type\":\"signup\",\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01T00:00:00Z\"}",
                RejectReason.MISSING_FIELD, "event_id"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":null,\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01T00:00:00Z\"}",
                RejectReason.MISSING_FIELD, "event_id"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"\",\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01T00:00:00Z\"}",
                RejectReason.EMPTY_EVENT_ID, "event_id"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"\",\"occurred_at\":\"2024-03-01T00:00:00Z\"}",
                RejectReason.EMPTY_CUSTOMER_ID, "customer_id"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":42,\"occurred_at\":\"2024-03-01T00:00:00Z\"}",
                RejectReason.WRONG_TYPE, "customer_id"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\"}",
                RejectReason.MISSING_FIELD, "occurred_at"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":\"yesterday\"}",
                RejectReason.BAD_TIMESTAMP, "yesterday"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01\"}",
                RejectReason.BAD_TIMESTAMP, "2024-03-01"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":1709337599999}",
                RejectReason.BAD_TIMESTAMP, "1709337599999"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":\"1709337599999\"}",
                RejectReason.BAD_TIMESTAMP, "1709337599999"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":1.5}",
                RejectReason.BAD_TIMESTAMP, "1.5"),
            Arguments.of("{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":99999999999999999999}",
                RejectReason.BAD_TIMESTAMP, "99999999999999999999"),
            Arguments.of("{\"type\":\"signup\"," + HEAD + ",\"plan\":1}", RejectReason.WRONG_TYPE, "plan"),
            Arguments.of(survey("NPS", "11"), RejectReason.SCORE_OUT_OF_RANGE, "11"),
            Arguments.of(survey("NPS", "-1"), RejectReason.SCORE_OUT_OF_RANGE, "-1"),
            Arguments.of(survey("CSAT", "0"), RejectReason.SCORE_OUT_OF_RANGE, "CSAT score 0"),
            Arguments.of(survey("CSAT", "6"), RejectReason.SCORE_OUT_OF_RANGE, "CSAT score 6"),
            Arguments.of(survey("CES", "0"), RejectReason.SCORE_OUT_OF_RANGE, "CES score 0"),
            Arguments.of(survey("CES", "6"), RejectReason.SCORE_OUT_OF_RANGE, "CES score 6"),
            Arguments.of(survey("NPS", "12345678901"), RejectReason.SCORE_OUT_OF_RANGE, "12345678901"),
            Arguments.of(survey("NPS", "9.5"), RejectReason.WRONG_TYPE, "score"),
            Arguments.of(survey("NPS", "\"9\""), RejectReason.WRONG_TYPE, "score"),
            Arguments.of("{\"type\":\"survey\"," + HEAD + ",\"survey\":\"nps\",\"score\":9}",
                RejectReason.UNKNOWN_SURVEY_TYPE, "nps"),
            Arguments.of("{\"type\":\"survey\"," + HEAD + ",\"survey\":\"CSAT\"}", RejectReason.MISSING_FIELD, "score"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("\"-5.00\""), RejectReason.NEGATIVE_AMOUNT, "-5.00"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("-0.01"), RejectReason.MALFORMED_AMOUNT, "-0.01"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("19.99"), RejectReason.MALFORMED_AMOUNT, "decimal string"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("20"), RejectReason.MALFORMED_AMOUNT, "20"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("1e3"), RejectReason.MALFORMED_AMOUNT, "1e3"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("\"-0.01\""), RejectReason.NEGATIVE_AMOUNT, "-0.01"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("\"+1.00\""), RejectReason.MALFORMED_AMOUNT, "+1.00"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("\".50\""), RejectReason.MALFORMED_AMOUNT, ".50"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("\"12.345\""), RejectReason.AMOUNT_SCALE, "12.345"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("12.345"), RejectReason.MALFORMED_AMOUNT, "12.345"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("\"12,34\""), RejectReason.MALFORMED_AMOUNT, "12,34"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("\"1e3\""), RejectReason.MALFORMED_AMOUNT, "1e3"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("\"\""), RejectReason.MALFORMED_AMOUNT, "amount"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("true"), RejectReason.MALFORMED_AMOUNT, "true"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("\"12345678901234567.00\""),
                RejectReason.MALFORMED_AMOUNT, "12345678901234567.00"),
            Arguments.of(CanonicalJsonEventTest.purchaseLine("null"), RejectReason.MISSING_FIELD, "amount"),
            Arguments.of("{\"type\":\"purchase\"," + HEAD + ",\"amount\":\"1.00\",\"currency\":\"EUR\"}",
                RejectReason.MISSING_FIELD, "order_id"),
            Arguments.of("{\"type\":\"purchase\"," + HEAD + ",\"order_id\":\"\",\"amount\":\"1.00\",\"currency\":\"EUR\"}",
                RejectReason.MISSING_FIELD, "order_id"),
            Arguments.of("{\"type\":\"survey\"," + HEAD + ",\"survey\":\"NPS+\",\"score\":9}",
                RejectReason.UNKNOWN_SURVEY_TYPE, "NPS+"),
            Arguments.of("{\"type\":\"purchase\"," + HEAD + ",\"order_id\":\"o\",\"amount\":\"1.00\",\"currency\":\"USD\"}",
                RejectReason.CURRENCY_MISMATCH, "USD"),
            Arguments.of("{\"type\":\"purchase\"," + HEAD + ",\"order_id\":\"o\",\"amount\":\"1.00\"}",
                RejectReason.MISSING_FIELD, "currency"),
            Arguments.of("{\"type\":\"purchase\"," + HEAD + ",\"order_id\":\"o\",\"amount\":\"1.00\",\"currency\":\"eur\"}",
                RejectReason.CURRENCY_MISMATCH, "\"eur\""));
    }

    @ParameterizedTest
    @MethodSource("badLines")
    void badLineIsRejectedWithItsReason(String line, RejectReason expected, String messageMentions) {
        InvalidEventException rejected =
            assertThrows(InvalidEventException.class, () -> CanonicalJson.parseEvent(line, "EUR"));

        assertEquals(expected, rejected.reason(), rejected.getMessage());
        assertTrue(rejected.getMessage().contains(messageMentions),
            () -> "message \"" + rejected.getMessage() + "\" should mention " + messageMentions);
    }

    @Test
    void hugeExponentAmountIsRejectedWithoutExpandingIt() {
        String line = CanonicalJsonEventTest.purchaseLine("1e999999999");

        InvalidEventException rejected = assertTimeoutPreemptively(Duration.ofSeconds(5),
            () -> assertThrows(InvalidEventException.class, () -> CanonicalJson.parseEvent(line, "EUR")));

        assertEquals(RejectReason.MALFORMED_AMOUNT, rejected.reason());
    }

    @Test
    void rulesApplyToRecordsBuiltInCodeToo() {
        Purchase threeDecimals = new Purchase("e1", "c", Instant.EPOCH, "o", new BigDecimal("1.005"), "EUR");
        Signup emptyCustomer = new Signup("e1", "", Instant.EPOCH, null, null, null);

        assertEquals(RejectReason.AMOUNT_SCALE, assertThrows(InvalidEventException.class,
            () -> EventRules.validate(threeDecimals, "EUR")).reason());
        assertEquals(RejectReason.EMPTY_CUSTOMER_ID, assertThrows(InvalidEventException.class,
            () -> EventRules.validate(emptyCustomer, "EUR")).reason());
        assertEquals(RejectReason.UNKNOWN_TYPE, assertThrows(InvalidEventException.class,
            () -> EventRules.validate(SampleRecords.npsUpdate(), "EUR")).reason());
    }

    @ParameterizedTest
    @CsvSource({"NPS,0", "NPS,10", "CSAT,1", "CSAT,5", "CES,1", "CES,5"})
    void scoreBoundsAreInclusive(String type, int score) {
        SurveyResponse parsed = (SurveyResponse) CanonicalJson.parseEvent(survey(type, String.valueOf(score)), "EUR");

        assertEquals(score, parsed.getScore());
        assertEquals(type, parsed.getSurvey().name());
    }

    @Test
    void reasonCodesAreLowerSnakeAndReversible() {
        assertEquals("amount_scale", RejectReason.AMOUNT_SCALE.code());
        assertEquals("not_json", RejectReason.NOT_JSON.code());
        for (RejectReason reason : RejectReason.values()) {
            assertTrue(reason.code().matches("[a-z]+(_[a-z]+)*"), reason.code());
            assertEquals(reason, RejectReason.fromCode(reason.code()));
        }
    }

    private static String survey(String type, String score) {
        return "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"" + type + "\",\"score\":" + score + "}";
    }
}
