package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;

class CanonicalJsonEventTest {

    static Stream<SpecificRecord> events() {
        return SampleRecords.events();
    }

    @ParameterizedTest
    @MethodSource("events")
    void everyEventSurvivesFormatThenParse(SpecificRecord event) {
        String line = CanonicalJson.formatEvent(event);

        assertEquals(event, CanonicalJson.parseEvent(line, "EUR"));
        assertEquals(event, CanonicalJson.parseEvent(line.getBytes(StandardCharsets.UTF_8), "EUR"));
    }

    @Test
    void purchaseIsWrittenInCanonicalFieldOrderWithTwoDecimalAmount() {
        Purchase purchase = SampleRecords.purchase("19.9");

        assertEquals("{\"type\":\"purchase\",\"event_id\":\"e03\",\"customer_id\":\"ann\","
                + "\"occurred_at\":\"2024-03-01T23:59:59.999Z\",\"order_id\":\"o1\",\"amount\":\"19.90\",\"currency\":\"EUR\"}",
            CanonicalJson.formatEvent(purchase));
    }

    @Test
    void wholeSecondInstantHasNoFractionAndNullOptionalsAreOmitted() {
        Signup signup = new Signup("e02", "bob", SampleRecords.MIDNIGHT, "basic", null, null);

        assertEquals("{\"type\":\"signup\",\"event_id\":\"e02\",\"customer_id\":\"bob\","
                + "\"occurred_at\":\"2024-03-01T00:00:00Z\",\"plan\":\"basic\"}",
            CanonicalJson.formatEvent(signup));
    }

    @Test
    void largestAmountsKeepEveryDigit() {
        for (String amount : new String[] {"99999999.99", "9999999999999999.99", "0.01"}) {
            String line = purchaseLine("\"" + amount + "\"");

            Purchase parsed = (Purchase) CanonicalJson.parseEvent(line, "EUR");

            assertEquals(new BigDecimal(amount), parsed.getAmount());
            assertEquals(amount, parsed.getAmount().toPlainString());
            assertEquals(parsed, SingleObjectAvro.decode(SingleObjectAvro.encode(parsed)));
        }
    }

    @Test
    void stringAmountsAreReadExactlyAndScaledToCents() {
        Purchase large = (Purchase) CanonicalJson.parseEvent(purchaseLine("\"1234567890123456.78\""), "EUR");
        Purchase whole = (Purchase) CanonicalJson.parseEvent(purchaseLine("\"20\""), "EUR");
        Purchase fromShortString = (Purchase) CanonicalJson.parseEvent(purchaseLine("\"5.5\""), "EUR");

        assertEquals(new BigDecimal("1234567890123456.78"), large.getAmount());
        assertEquals(new BigDecimal("20.00"), whole.getAmount());
        assertEquals(new BigDecimal("5.50"), fromShortString.getAmount());
    }

    @Test
    void trailingZeroBeyondTwoDecimalsIsExactAndAccepted() {
        Purchase parsed = (Purchase) CanonicalJson.parseEvent(purchaseLine("\"12.340\""), "EUR");

        assertEquals(new BigDecimal("12.34"), parsed.getAmount());
    }

    @Test
    void epochMillisInJsonAreRejectedButRoundTripThroughAvro() {
        String line = "{\"type\":\"cancellation\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":1709337599999}";

        InvalidEventException rejected = assertThrows(InvalidEventException.class, () -> CanonicalJson.parseEvent(line, "EUR"));
        SpecificRecord parsed = CanonicalJson.parseEvent(line.replace("1709337599999", "\"2024-03-01T23:59:59.999Z\""), "EUR");

        assertEquals(RejectReason.BAD_TIMESTAMP, rejected.reason());
        assertEquals(1709337599999L, EventType.occurredAtMillis(SingleObjectAvro.decode(SingleObjectAvro.encode(parsed))));
    }

    @Test
    void unknownFieldsAndFieldsOfOtherTypesAreIgnored() {
        String line = "{\"version\":3,\"extra\":{\"nested\":[1,{\"a\":null}]},\"type\":\"signup\",\"event_id\":\"e1\","
            + "\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01T00:00:00Z\",\"score\":\"not a number\",\"amount\":true,"
            + "\"plan\":null}";

        Signup parsed = (Signup) CanonicalJson.parseEvent(line, "EUR");

        assertEquals(new Signup("e1", "c", SampleRecords.MIDNIGHT, null, null, null), parsed);
    }

    @Test
    void typeMayComeAfterTheFieldsItGoverns() {
        String line = "{\"survey\":\"CES\",\"score\":3,\"event_id\":\"e1\",\"customer_id\":\"c\","
            + "\"occurred_at\":\"2024-03-01T00:00:00Z\",\"type\":\"survey\"}";

        SurveyResponse parsed = assertInstanceOf(SurveyResponse.class, CanonicalJson.parseEvent(line, "EUR"));

        assertEquals(3, parsed.getScore());
        assertNull(parsed.getComment());
    }

    @Test
    void otherReportingCurrencyAcceptsItsOwnPurchases() {
        String usd = "{\"type\":\"purchase\",\"event_id\":\"e1\",\"customer_id\":\"c\","
            + "\"occurred_at\":\"2024-03-01T00:00:00Z\",\"order_id\":\"o\",\"amount\":\"1.00\",\"currency\":\"USD\"}";

        assertEquals("USD", ((Purchase) CanonicalJson.parseEvent(usd, "USD")).getCurrency());
        assertEquals(RejectReason.CURRENCY_MISMATCH,
            assertThrows(InvalidEventException.class, () -> CanonicalJson.parseEvent(usd, "EUR")).reason());
    }

    @Test
    void formattingANonEventIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.formatEvent(SampleRecords.npsUpdate()));
    }

    static String purchaseLine(String amountJson) {
        return "{\"type\":\"purchase\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01T00:00:00Z\","
            + "\"order_id\":\"o\",\"amount\":" + amountJson + ",\"currency\":\"EUR\"}";
    }
}
